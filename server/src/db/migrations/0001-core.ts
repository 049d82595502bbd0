import { sql, type Kysely } from 'kysely';

/**
 * Tenants, API keys, locations, hosts, visits and the email outbox.
 *
 * Tenant-owned tables lead their primary key and every index with (tenant_id, mode), and their
 * foreign keys include both, so each table can be distributed by tenant_id later without
 * queries that cross tenants. Time columns are truncated to milliseconds, the precision of a
 * JavaScript Date, so keyset cursors round-trip exactly.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = sql`date_trunc('milliseconds', now())`;

  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('tenant_id', 'text', (col) => col.notNull().references('tenants.id'))
    .addColumn('mode', 'text', (col) => col.notNull().check(sql`mode in ('live', 'test')`))
    .addColumn('secret_hash', 'text', (col) => col.notNull().unique())
    .addColumn('secret_last4', 'text', (col) => col.notNull())
    .addColumn('name', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('api_keys_tenant_idx').on('api_keys').columns(['tenant_id', 'mode', 'created_at']).execute();

  await db.schema
    .createTable('locations')
    .addColumn('tenant_id', 'text', (col) => col.notNull().references('tenants.id'))
    .addColumn('mode', 'text', (col) => col.notNull().check(sql`mode in ('live', 'test')`))
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('address', 'text')
    .addColumn('timezone', 'text', (col) => col.notNull())
    .addColumn('locale', 'text', (col) => col.notNull())
    .addColumn('active', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('locations_pkey', ['tenant_id', 'mode', 'id'])
    .execute();
  await db.schema
    .createIndex('locations_page_idx')
    .on('locations')
    .expression(sql`tenant_id, mode, created_at desc, id desc`)
    .execute();

  await db.schema
    .createTable('hosts')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('location_id', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('phone', 'text')
    .addColumn('active', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('hosts_pkey', ['tenant_id', 'mode', 'id'])
    .addForeignKeyConstraint('hosts_location_fkey', ['tenant_id', 'mode', 'location_id'], 'locations', ['tenant_id', 'mode', 'id'])
    .execute();
  await db.schema.createIndex('hosts_page_idx').on('hosts').expression(sql`tenant_id, mode, created_at desc, id desc`).execute();
  await db.schema
    .createIndex('hosts_location_page_idx')
    .on('hosts')
    .expression(sql`tenant_id, mode, location_id, created_at desc, id desc`)
    .execute();

  await db.schema
    .createTable('visits')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('type', 'text', (col) => col.notNull().check(sql`type in ('visitor', 'driver')`))
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('location_id', 'text', (col) => col.notNull())
    .addColumn('host_id', 'text')
    .addColumn('visitor_name', 'text')
    .addColumn('visitor_email', 'text')
    .addColumn('visitor_company', 'text')
    .addColumn('driver_name', 'text')
    .addColumn('driver_license_number', 'text')
    .addColumn('shipment_bol_ref', 'text')
    .addColumn('shipment_type', 'text')
    .addColumn('shipment_hazmat', 'boolean')
    .addColumn('tractor_plate', 'text')
    .addColumn('trailer_plate', 'text')
    .addColumn('host_notified', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('checked_in_at', 'timestamptz', (col) => col.notNull())
    .addColumn('checked_out_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('visits_pkey', ['tenant_id', 'mode', 'id'])
    .addForeignKeyConstraint('visits_location_fkey', ['tenant_id', 'mode', 'location_id'], 'locations', ['tenant_id', 'mode', 'id'])
    .addForeignKeyConstraint('visits_host_fkey', ['tenant_id', 'mode', 'host_id'], 'hosts', ['tenant_id', 'mode', 'id'])
    .addCheckConstraint(
      'visits_kind_check',
      sql`(type = 'visitor' and host_id is not null and visitor_name is not null)
       or (type = 'driver' and driver_name is not null and shipment_bol_ref is not null)`,
    )
    .execute();
  await db.schema.createIndex('visits_page_idx').on('visits').expression(sql`tenant_id, mode, created_at desc, id desc`).execute();
  await db.schema
    .createIndex('visits_location_status_page_idx')
    .on('visits')
    .expression(sql`tenant_id, mode, location_id, status, created_at desc, id desc`)
    .execute();
  await db.schema
    .createIndex('visits_host_page_idx')
    .on('visits')
    .expression(sql`tenant_id, mode, host_id, created_at desc, id desc`)
    .where(sql.ref('host_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('visits_checked_in_idx')
    .on('visits')
    .expression(sql`tenant_id, mode, checked_in_at`)
    .execute();

  await db.schema
    .createTable('outbound_emails')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('visit_id', 'text')
    .addColumn('recipient', 'text', (col) => col.notNull())
    .addColumn('locale', 'text', (col) => col.notNull())
    .addColumn('sent_at', 'timestamptz')
    .addColumn('message_id', 'text')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('outbound_emails_pkey', ['tenant_id', 'mode', 'id'])
    .addForeignKeyConstraint('outbound_emails_visit_fkey', ['tenant_id', 'mode', 'visit_id'], 'visits', ['tenant_id', 'mode', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['outbound_emails', 'visits', 'hosts', 'locations', 'api_keys', 'tenants']) {
    await db.schema.dropTable(table).execute();
  }
}
