import { sql, type Kysely } from 'kysely';

/**
 * Pre-registrations with signed QR codes, kiosks and their credentials, per-tenant signing
 * keys, NDA versions, and the kiosk check-in fields of visits (pending status, photo, NDA).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const now = sql`date_trunc('milliseconds', now())`;

  await db.schema
    .alterTable('locations')
    .addColumn('checkin_window_before_minutes', 'integer', (col) => col.notNull().defaultTo(60))
    .addColumn('checkin_window_after_minutes', 'integer', (col) => col.notNull().defaultTo(60))
    .execute();

  // Hosts get a search form of their name (lower case, accents removed), filled in by the app.
  await db.schema.alterTable('hosts').addColumn('search_name', 'text', (col) => col.notNull().defaultTo('')).execute();
  const hosts = await db.selectFrom('hosts').select(['tenant_id', 'mode', 'id', 'name']).execute();
  for (const host of hosts) {
    await db
      .updateTable('hosts')
      .set({ search_name: searchForm(host.name) })
      .where('tenant_id', '=', host.tenant_id)
      .where('mode', '=', host.mode)
      .where('id', '=', host.id)
      .execute();
  }
  await db.schema
    .createIndex('hosts_search_idx')
    .on('hosts')
    .expression(sql`tenant_id, mode, location_id, search_name text_pattern_ops`)
    .execute();

  await db.schema
    .createTable('tenant_signing_keys')
    .addColumn('tenant_id', 'text', (col) => col.notNull().references('tenants.id'))
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('secret_sealed', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addColumn('retired_at', 'timestamptz')
    .addPrimaryKeyConstraint('tenant_signing_keys_pkey', ['tenant_id', 'id'])
    .execute();

  await db.schema
    .createTable('pre_registrations')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('scheduled', 'checked_in', 'cancelled')`))
    .addColumn('host_id', 'text', (col) => col.notNull())
    .addColumn('location_id', 'text', (col) => col.notNull())
    .addColumn('visitor_name', 'text', (col) => col.notNull())
    .addColumn('visitor_email', 'text', (col) => col.notNull())
    .addColumn('visitor_company', 'text')
    .addColumn('visitor_phone', 'text')
    .addColumn('scheduled_at', 'timestamptz', (col) => col.notNull())
    .addColumn('window_minutes', 'integer')
    .addColumn('valid_from', 'timestamptz', (col) => col.notNull())
    .addColumn('valid_until', 'timestamptz', (col) => col.notNull())
    .addColumn('locale', 'text', (col) => col.notNull())
    .addColumn('notes', 'text')
    .addColumn('check_in_code', 'text', (col) => col.notNull())
    .addColumn('signing_key_id', 'text', (col) => col.notNull())
    .addColumn('visit_id', 'text')
    .addColumn('checked_in_at', 'timestamptz')
    .addColumn('cancelled_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('pre_registrations_pkey', ['tenant_id', 'mode', 'id'])
    .addForeignKeyConstraint('pre_registrations_host_fkey', ['tenant_id', 'mode', 'host_id'], 'hosts', ['tenant_id', 'mode', 'id'])
    .addForeignKeyConstraint('pre_registrations_location_fkey', ['tenant_id', 'mode', 'location_id'], 'locations', ['tenant_id', 'mode', 'id'])
    .execute();
  await db.schema.createIndex('pre_registrations_code_idx').on('pre_registrations').columns(['tenant_id', 'mode', 'check_in_code']).unique().execute();
  await db.schema.createIndex('pre_registrations_page_idx').on('pre_registrations').expression(sql`tenant_id, mode, created_at desc, id desc`).execute();
  await db.schema
    .createIndex('pre_registrations_host_page_idx')
    .on('pre_registrations')
    .expression(sql`tenant_id, mode, host_id, created_at desc, id desc`)
    .execute();
  await db.schema
    .createIndex('pre_registrations_location_page_idx')
    .on('pre_registrations')
    .expression(sql`tenant_id, mode, location_id, created_at desc, id desc`)
    .execute();

  await db.schema
    .createTable('kiosks')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('id', 'text', (col) => col.notNull())
    .addColumn('location_id', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('unpaired', 'active', 'revoked')`))
    .addColumn('paired_at', 'timestamptz')
    .addColumn('last_seen_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('kiosks_pkey', ['tenant_id', 'mode', 'id'])
    .addForeignKeyConstraint('kiosks_location_fkey', ['tenant_id', 'mode', 'location_id'], 'locations', ['tenant_id', 'mode', 'id'])
    .execute();
  await db.schema.createIndex('kiosks_page_idx').on('kiosks').expression(sql`tenant_id, mode, created_at desc, id desc`).execute();

  // Control-plane lookup, like api_keys: a pairing code or device token is found by its hash
  // before the tenant is known.
  await db.schema
    .createTable('kiosk_credentials')
    .addColumn('secret_hash', 'text', (col) => col.primaryKey())
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('pairing_code', 'device_token')`))
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('kiosk_id', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addForeignKeyConstraint('kiosk_credentials_kiosk_fkey', ['tenant_id', 'mode', 'kiosk_id'], 'kiosks', ['tenant_id', 'mode', 'id'])
    .execute();
  await db.schema.createIndex('kiosk_credentials_kiosk_idx').on('kiosk_credentials').columns(['tenant_id', 'mode', 'kiosk_id', 'kind']).unique().execute();

  await db.schema
    .createTable('nda_documents')
    .addColumn('tenant_id', 'text', (col) => col.notNull())
    .addColumn('mode', 'text', (col) => col.notNull())
    .addColumn('location_id', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull().check(sql`version > 0`))
    .addColumn('en_title', 'text', (col) => col.notNull())
    .addColumn('en_body', 'text', (col) => col.notNull())
    .addColumn('es_mx_title', 'text', (col) => col.notNull())
    .addColumn('es_mx_body', 'text', (col) => col.notNull())
    .addColumn('published_at', 'timestamptz', (col) => col.notNull().defaultTo(now))
    .addPrimaryKeyConstraint('nda_documents_pkey', ['tenant_id', 'mode', 'location_id', 'version'])
    .addForeignKeyConstraint('nda_documents_location_fkey', ['tenant_id', 'mode', 'location_id'], 'locations', ['tenant_id', 'mode', 'id'])
    .execute();

  await db.schema.alterTable('visits').alterColumn('checked_in_at', (col) => col.dropNotNull()).execute();
  await db.schema
    .alterTable('visits')
    .addColumn('pre_registration_id', 'text')
    .addColumn('kiosk_id', 'text')
    .addColumn('photo_key', 'text')
    .addColumn('photo_content_type', 'text')
    .addColumn('nda_version', 'integer')
    .addColumn('nda_locale', 'text')
    .addColumn('nda_signer_name', 'text')
    .addColumn('nda_signature', 'text')
    .addColumn('nda_signature_key', 'text')
    .addColumn('nda_typed_name', 'text')
    .addColumn('nda_accepted_at', 'timestamptz')
    .execute();
  await db.schema.alterTable('visits').addCheckConstraint('visits_checked_in_check', sql`status = 'pending' or checked_in_at is not null`).execute();

  await db.schema.alterTable('outbound_emails').addColumn('pre_registration_id', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbound_emails').dropColumn('pre_registration_id').execute();
  for (const table of ['nda_documents', 'kiosk_credentials', 'kiosks', 'pre_registrations', 'tenant_signing_keys']) {
    await db.schema.dropTable(table).execute();
  }
}

/** Lower case without accents, so "Andrés" is found by "andres". Kept here so the migration never changes. */
function searchForm(name: string): string {
  return name.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}
