import type { Kysely } from 'kysely';

import type { Database } from '../server/src/db/schema';
import { createApiKey, revokeApiKey } from '../server/src/tenants';
import { ApiClient, type ApiResponse } from '../test/support/client';
import { decodeQr } from '../test/support/kiosk';
import { makeTenant } from '../test/support/tenants';
import { World } from './world';

/**
 * Creates two tenants of the fuzzer's own through the API: the fuzz tenant, with locations,
 * hosts, paired kiosks, visits and pre-registrations for the generated requests to act on, and
 * another tenant whose ids and QR token must read as unknown. Pairs four kiosks, which stays
 * within the pairing burst allowed per client address.
 */
export async function seedWorld(baseUrl: string, db: Kysely<Database>): Promise<World> {
  const tenant = await makeTenant(db, 'fuzz');
  const other = await makeTenant(db, 'fuzz other tenant');
  const revokedKey = await createApiKey(db, tenant.tenantId, 'test', 'revoked by the fuzzer');
  await revokeApiKey(db, revokedKey.id);

  const admin = new ApiClient(baseUrl, tenant.testKey);
  const otherAdmin = new ApiClient(baseUrl, other.testKey);
  const otherKiosk = await seedOtherTenant(baseUrl, otherAdmin);

  const world = new World(tenant.testKey, [revokedKey.secret, otherKiosk.revokedToken]);
  world.foreignIds.location.push(otherKiosk.locationId);
  world.foreignIds.host.push(otherKiosk.hostId);
  world.foreignIds.visit.push(otherKiosk.visitId);
  world.foreignIds.preRegistration.push(otherKiosk.preRegistrationId);
  world.foreignIds.kiosk.push(otherKiosk.kioskId);
  world.foreignQrToken = otherKiosk.qrToken;

  const learn = async (operationId: string, request: Promise<ApiResponse>) => {
    const response = await expectSuccess(operationId, request);
    world.learn(operationId, response.body, new URLSearchParams());
    return response;
  };

  const anchors = [
    await learn('createLocation', admin.post('/v1/locations', { id: 'loc_fz_north', name: 'Monterrey Plant 1', timezone: 'America/Monterrey', locale: 'es-MX' })),
    await learn('createLocation', admin.post('/v1/locations', { id: 'loc_fz_south', name: 'Laredo Warehouse', timezone: 'America/Chicago', locale: 'en' })),
    await learn('createHost', admin.post('/v1/hosts', { id: 'h_fz_laura', name: 'Laura Garza', email: 'laura.garza@acme.com', location_id: 'loc_fz_north' })),
    await learn('createHost', admin.post('/v1/hosts', { id: 'h_fz_andres', name: 'Andrés Ortega', email: 'andres.ortega@acme.com', location_id: 'loc_fz_south' })),
  ];
  for (const response of anchors) world.anchors.add(response.body.id);
  await learn('createLocation', admin.post('/v1/locations', { id: 'loc_fz_spare', name: 'Spare dock', timezone: 'UTC' }));
  await learn('createHost', admin.post('/v1/hosts', { id: 'h_fz_spare', name: 'Érica Núñez', email: 'erica@acme.com', location_id: 'loc_fz_north' }));

  for (const [locationId, name] of [['loc_fz_north', 'North lobby'], ['loc_fz_north', 'North gate'], ['loc_fz_south', 'South lobby']] as const) {
    const kiosk = await learn('createKiosk', admin.post('/v1/kiosks', { location_id: locationId, name }));
    world.anchors.add(kiosk.body.id);
    await learn('pairKiosk', new ApiClient(baseUrl).post('/v1/kiosk/pair', { pairing_code: kiosk.body.pairing_code }));
  }

  await learn('createVisit', admin.post('/v1/visits', { type: 'visitor', host_id: 'h_fz_laura', visitor: { name: 'Marisol Cruz', email: 'marisol@acme.com' }, location_id: 'loc_fz_north' }));
  await learn('createVisit', admin.post('/v1/visits', { type: 'driver', driver: { name: 'J. Pérez', license_number: 'LIC-1234' }, shipment: { bol_ref: 'BOL-1', type: 'delivery', hazmat: false }, vehicle: { tractor_plate: 'ABC-1234' }, location_id: 'loc_fz_south' }));
  const kioskToken = world.activeTokens()[0]!.token;
  await learn('createKioskVisit', new ApiClient(baseUrl, kioskToken).post('/v1/kiosk/visits', { type: 'visitor', host_id: 'h_fz_laura', visitor: { name: 'Walk In', email: 'walk.in@acme.com' } }));

  for (const hostId of ['h_fz_laura', 'h_fz_laura', 'h_fz_laura', 'h_fz_andres']) {
    const created = await learn('createPreRegistration', admin.post('/v1/pre-registrations', { host_id: hostId, visitor: { name: 'Ana Ruiz', email: 'ana@acme.com' }, scheduled_at: new Date(Date.now() + 5 * 60_000).toISOString(), window_minutes: 120 }));
    world.qrTokens.set(created.body.id, await qrToken(baseUrl, tenant.testKey, created.body.id));
  }
  return world;
}

interface OtherTenant {
  locationId: string;
  hostId: string;
  visitId: string;
  preRegistrationId: string;
  kioskId: string;
  qrToken: string;
  revokedToken: string;
}

async function seedOtherTenant(baseUrl: string, admin: ApiClient): Promise<OtherTenant> {
  const location = await expectSuccess('createLocation', admin.post('/v1/locations', { id: 'loc_fz_other', name: 'Other tenant plant' }));
  const host = await expectSuccess('createHost', admin.post('/v1/hosts', { id: 'h_fz_other', name: 'Other Host', email: 'other@acme.com', location_id: location.body.id }));
  const visit = await expectSuccess('createVisit', admin.post('/v1/visits', { type: 'visitor', host_id: host.body.id, visitor: { name: 'Other Visitor', email: 'other.visitor@acme.com' }, location_id: location.body.id }));
  const preRegistration = await expectSuccess('createPreRegistration', admin.post('/v1/pre-registrations', { host_id: host.body.id, visitor: { name: 'Other Guest', email: 'guest@acme.com' }, scheduled_at: new Date(Date.now() + 5 * 60_000).toISOString() }));
  const kiosk = await expectSuccess('createKiosk', admin.post('/v1/kiosks', { location_id: location.body.id, name: 'Other lobby' }));
  const paired = await expectSuccess('pairKiosk', new ApiClient(baseUrl).post('/v1/kiosk/pair', { pairing_code: kiosk.body.pairing_code }));
  await expectSuccess('revokeKiosk', admin.post(`/v1/kiosks/${kiosk.body.id}/revoke`));
  return {
    locationId: location.body.id,
    hostId: host.body.id,
    visitId: visit.body.id,
    preRegistrationId: preRegistration.body.id,
    kioskId: kiosk.body.id,
    qrToken: await qrToken(baseUrl, admin.key!, preRegistration.body.id),
    revokedToken: paired.body.device_token,
  };
}

async function qrToken(baseUrl: string, apiKey: string, preRegistrationId: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/prereg/qr/${preRegistrationId}.png`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (response.status !== 200) throw new Error(`Seeding failed: GET /v1/prereg/qr/${preRegistrationId}.png returned ${response.status}.`);
  return decodeQr(Buffer.from(await response.arrayBuffer()));
}

async function expectSuccess(operationId: string, request: Promise<ApiResponse>): Promise<ApiResponse> {
  const response = await request;
  if (response.status >= 300) throw new Error(`Seeding failed: ${operationId} returned ${response.status}: ${JSON.stringify(response.body)}`);
  return response;
}
