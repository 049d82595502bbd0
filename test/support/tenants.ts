import type { Kysely } from 'kysely';

import type { Database } from '../../server/src/db/schema';
import { createTenant } from '../../server/src/tenants';

export interface TestTenant {
  tenantId: string;
  liveKey: string;
  testKey: string;
}

/** Creates a tenant with one live and one test key, named after the test for easier debugging. */
export async function makeTenant(db: Kysely<Database>, name = 'Test tenant'): Promise<TestTenant> {
  const { tenant, keys } = await createTenant(db, name);
  return { tenantId: tenant.id, liveKey: keys.live.secret, testKey: keys.test.secret };
}

export const REFERENCE_VISITOR_VISIT = {
  type: 'visitor',
  host_id: 'h_98412',
  visitor: { name: 'Marisol Cruz', email: 'marisol@acme.com', company: 'Acme Co' },
  location_id: 'loc_mty_01',
};

export const REFERENCE_DRIVER_VISIT = {
  type: 'driver',
  driver: { name: 'J. Pérez', license_number: 'LIC-1234' },
  shipment: { bol_ref: 'BOL-88412', type: 'delivery', hazmat: false },
  vehicle: { tractor_plate: 'ABC-1234', trailer_plate: 'TR-998' },
  location_id: 'loc_mty_01',
};

/** Creates the reference example's location and host through the API, as an integrator would. */
export async function seedReferenceDirectory(client: { post(path: string, body?: unknown): Promise<{ status: number; body: unknown }> }): Promise<void> {
  const location = await client.post('/v1/locations', { id: 'loc_mty_01', name: 'Monterrey Plant 1', timezone: 'America/Monterrey', locale: 'es-MX' });
  if (location.status !== 201) throw new Error(`Seeding loc_mty_01 failed: ${location.status} ${JSON.stringify(location.body)}`);
  const host = await client.post('/v1/hosts', { id: 'h_98412', name: 'Laura Garza', email: 'laura.garza@acme.com', location_id: 'loc_mty_01' });
  if (host.status !== 201) throw new Error(`Seeding h_98412 failed: ${host.status} ${JSON.stringify(host.body)}`);
}
