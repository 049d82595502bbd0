import { sql, type Kysely } from 'kysely';

/**
 * Per-tenant rate limit overrides (enterprise budgets) and stored responses for idempotent
 * writes. Both lead their keys with the tenant, like every tenant-owned table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenant_rate_limits')
    .addColumn('tenant_id', 'text', (col) => col.primaryKey().references('tenants.id'))
    .addColumn('reads_per_minute', 'integer', (col) => col.notNull().check(sql`reads_per_minute > 0`))
    .addColumn('writes_per_minute', 'integer', (col) => col.notNull().check(sql`writes_per_minute > 0`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('request_hash', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull().check(sql`state in ('running', 'done')`))
    .addColumn('response_status', 'integer')
    .addColumn('response_content_type', 'text')
    .addColumn('response_body', 'bytea')
    .addColumn('locked_until', 'timestamptz', (col) => col.notNull())
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['tenant_id', 'mode', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_expiry_idx').on('idempotency_keys').columns(['expires_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
  await db.schema.dropTable('tenant_rate_limits').execute();
}
