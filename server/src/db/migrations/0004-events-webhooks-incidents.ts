import { sql, type Kysely } from 'kysely';

/**
 * The event log, webhook endpoints with their deliveries and attempts, incidents, and the
 * tenant's contact for operational email. New tenant-owned tables lead their primary key,
 * foreign keys and indexes with (tenant_id, mode), like those of 0001.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`date_trunc('milliseconds', now())`;

  await db.schema
    .alterTable('tenants')
    .addColumn('contact_email', 'text')
    .addColumn('contact_locale', 'text', (col) => col.notNull().defaultTo('en').check(sql`contact_locale in ('en', 'es-MX')`))
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('data', 'jsonb', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('events_pkey', ['tenant_id', 'mode', 'id'])
    .execute();
  await db.schema.createIndex('events_page_idx').on('events').expression(sql`tenant_id, mode, created_at desc, id desc`).execute();
  await db.schema.createIndex('events_type_page_idx').on('events').expression(sql`tenant_id, mode, type, created_at desc, id desc`).execute();

  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('description', 'text')
    .addColumn('event_types', sql`text[]`)
    .addColumn('enabled', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('disabled_reason', 'text', (col) => col.check(sql`disabled_reason in ('manual', 'gone', 'failing')`))
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('failing_since', 'timestamptz')
    .addColumn('secret_ciphertext', 'text', (col) => col.notNull())
    .addColumn('previous_secret_ciphertext', 'text')
    .addColumn('previous_secret_expires_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('webhook_endpoints_pkey', ['tenant_id', 'mode', 'id'])
    .execute();
  await db.schema
    .createIndex('webhook_endpoints_page_idx')
    .on('webhook_endpoints')
    .expression(sql`tenant_id, mode, created_at desc, id desc`)
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('event_id', 'text', (col) => col.notNull())
    .addColumn('endpoint_id', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('pending', 'succeeded', 'failed')`))
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('first_attempt_at', 'timestamptz')
    .addColumn('next_attempt_at', 'timestamptz')
    .addColumn('locked_until', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('webhook_deliveries_pkey', ['tenant_id', 'mode', 'id'])
    .addForeignKeyConstraint('webhook_deliveries_event_fkey', ['tenant_id', 'mode', 'event_id'], 'events', ['tenant_id', 'mode', 'id'])
    .addForeignKeyConstraint('webhook_deliveries_endpoint_fkey', ['tenant_id', 'mode', 'endpoint_id'], 'webhook_endpoints', ['tenant_id', 'mode', 'id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_in_flight_idx')
    .on('webhook_deliveries')
    .expression(sql`tenant_id, mode, endpoint_id, locked_until`)
    .where(sql.ref('locked_until'), 'is not', null)
    .execute();
  await db.schema.createIndex('webhook_deliveries_event_idx').on('webhook_deliveries').columns(['tenant_id', 'mode', 'event_id']).execute();

  await db.schema
    .createTable('webhook_delivery_attempts')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('delivery_id', 'text', (col) => col.notNull())
    .addColumn('endpoint_id', 'text', (col) => col.notNull())
    .addColumn('event_id', 'text', (col) => col.notNull())
    .addColumn('attempt', 'integer', (col) => col.notNull())
    .addColumn('succeeded', 'boolean', (col) => col.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('duration_ms', 'integer', (col) => col.notNull())
    .addColumn('error', 'text')
    .addColumn('next_retry_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull())
    .addPrimaryKeyConstraint('webhook_delivery_attempts_pkey', ['tenant_id', 'mode', 'id'])
    .addForeignKeyConstraint('webhook_delivery_attempts_delivery_fkey', ['tenant_id', 'mode', 'delivery_id'], 'webhook_deliveries', ['tenant_id', 'mode', 'id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema
    .createIndex('webhook_delivery_attempts_page_idx')
    .on('webhook_delivery_attempts')
    .expression(sql`tenant_id, mode, endpoint_id, created_at desc, id desc`)
    .execute();

  await db.schema
    .createTable('incidents')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('severity', 'text', (col) => col.notNull())
    .addColumn('summary', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('open', 'investigating', 'resolved', 'dismissed')`))
    .addColumn('visit_id', 'text')
    .addColumn('location_id', 'text')
    .addColumn('occurred_at', 'timestamptz', (col) => col.notNull())
    .addColumn('resolution_notes', 'text')
    .addColumn('assignee', 'text')
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('incidents_pkey', ['tenant_id', 'mode', 'id'])
    .addForeignKeyConstraint('incidents_visit_fkey', ['tenant_id', 'mode', 'visit_id'], 'visits', ['tenant_id', 'mode', 'id'])
    .addForeignKeyConstraint('incidents_location_fkey', ['tenant_id', 'mode', 'location_id'], 'locations', ['tenant_id', 'mode', 'id'])
    .execute();
  await db.schema.createIndex('incidents_page_idx').on('incidents').expression(sql`tenant_id, mode, created_at desc, id desc`).execute();
  await db.schema
    .createIndex('incidents_status_page_idx')
    .on('incidents')
    .expression(sql`tenant_id, mode, status, created_at desc, id desc`)
    .execute();

  // Emails about an endpoint carry their template values, because the endpoint may be deleted
  // before the worker sends them.
  await db.schema
    .alterTable('outbound_emails')
    .addColumn('webhook_endpoint_id', 'text')
    .addColumn('template_data', 'jsonb')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbound_emails').dropColumn('template_data').dropColumn('webhook_endpoint_id').execute();
  for (const table of ['incidents', 'webhook_delivery_attempts', 'webhook_deliveries', 'webhook_endpoints', 'events']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('tenants').dropColumn('contact_locale').dropColumn('contact_email').execute();
}
