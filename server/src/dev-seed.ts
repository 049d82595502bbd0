import type { Kysely } from 'kysely';

import type { Database } from './db/schema';
import { searchForm } from './checkin/codes';
import { createTenant } from './tenants';

/** The ids the README's curl examples use, the same as in the published API reference. */
export const DEV_LOCATION_ID = 'loc_mty_01';
export const DEV_HOST_ID = 'h_98412';

/**
 * On an empty database, creates a development tenant with a location and a host in its test
 * data, and returns its test key so `npm start` can print it. Returns undefined otherwise.
 */
export async function seedDevelopmentTenant(db: Kysely<Database>): Promise<string | undefined> {
  const existing = await db.selectFrom('tenants').select('id').limit(1).executeTakeFirst();
  if (existing) return undefined;

  const { tenant, keys } = await createTenant(db, 'Development');
  const scope = { tenant_id: tenant.id, mode: 'test' as const };
  await db
    .insertInto('locations')
    .values({ ...scope, id: DEV_LOCATION_ID, name: 'Monterrey Plant 1', address: null, timezone: 'America/Monterrey', locale: 'es-MX', created_at: new Date(), updated_at: new Date() })
    .execute();
  await db
    .insertInto('hosts')
    .values({ ...scope, id: DEV_HOST_ID, location_id: DEV_LOCATION_ID, name: 'Laura Garza', search_name: searchForm('Laura Garza'), email: 'laura.garza@example.com', phone: null, created_at: new Date(), updated_at: new Date() })
    .execute();
  return keys.test.secret;
}
