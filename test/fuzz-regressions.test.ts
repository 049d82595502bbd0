import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ApiClient } from './support/client';
import { pairKiosk, type PairedKiosk } from './support/kiosk';
import { startTestServer, type TestServer } from './support/server';
import { makeTenant } from './support/tenants';

// Requests for which the fuzzer (npm run fuzz) found a wrong response, each pinned down once.

let server: TestServer;
let admin: ApiClient;
let lobby: PairedKiosk;

beforeAll(async () => {
  server = await startTestServer();
  const tenant = await makeTenant(server.runtime.db, 'fuzz regressions');
  admin = server.client(tenant.testKey);
  await expectStatus(admin.post('/v1/locations', { id: 'loc_fzr_main', name: 'Main plant', timezone: 'America/Monterrey' }), 201);
  await expectStatus(admin.post('/v1/hosts', { id: 'h_fzr_laura', name: 'Laura Garza', email: 'laura@acme.com', location_id: 'loc_fzr_main' }), 201);
  lobby = await pairKiosk(server, admin, 'loc_fzr_main', 'Main lobby');
});

afterAll(async () => {
  await server?.close();
});

async function expectStatus(request: Promise<{ status: number; body: unknown }>, status: number) {
  const response = await request;
  if (response.status !== status) throw new Error(`Setup request returned ${response.status}, expected ${status}: ${JSON.stringify(response.body)}`);
  return response;
}

describe('meta routes', () => {
  it('document 400 for unknown parameters', async () => {
    // The client checks the status against openapi.yaml; 400 was not documented here.
    const response = await server.client().get('/healthz?probe=1');
    expect(response.status).toBe(400);
    expect(response.body.issues.fieldErrors).toHaveProperty('probe');
  });
});

describe('NUL characters', () => {
  it('reject a NUL in a name', async () => {
    const response = await admin.post('/v1/locations', { name: 'North\u0000gate' });
    expect(response.status).toBe(400);
    expect(response.body.type).toBe('urn:visitorflow:problem:invalid-payload');
  });

  it('reject a NUL in a query value', async () => {
    const response = await lobby.client.get('/v1/kiosk/hosts?q=La%00');
    expect(response.status).toBe(400);
  });
});

describe('query numbers', () => {
  it('reject a limit of 1e400', async () => {
    const response = await admin.get('/v1/locations?limit=1e400');
    expect(response.status).toBe(400);
    expect(response.body.issues.fieldErrors).toHaveProperty('limit');
  });
});

describe('far-future pre-registrations', () => {
  it('reject a window past 9999', async () => {
    const response = await admin.post('/v1/pre-registrations', { host_id: 'h_fzr_laura', visitor: { name: 'Ana Ruiz', email: 'ana@acme.com' }, scheduled_at: '9999-12-31T23:59:59.999Z', window_minutes: 60 });
    expect(response.status).toBe(400);
    expect(response.body.issues.fieldErrors).toHaveProperty('scheduled_at');
  });
});

describe('deactivated hosts and locations', () => {
  let kiosk: PairedKiosk;

  beforeAll(async () => {
    await expectStatus(admin.post('/v1/locations', { id: 'loc_fzr_closing', name: 'Closing warehouse', timezone: 'UTC' }), 201);
    kiosk = await pairKiosk(server, admin, 'loc_fzr_closing', 'Closing lobby');
  });

  it('refuse kiosk walk-ins after deactivation', async () => {
    await expectStatus(admin.post('/v1/locations/loc_fzr_closing/deactivate'), 200);
    const response = await kiosk.client.post('/v1/kiosk/visits', {
      type: 'driver',
      driver: { name: 'J. Pérez', license_number: 'LIC-1234' },
      shipment: { bol_ref: 'BOL-1', type: 'pickup', hazmat: false },
      vehicle: { tractor_plate: 'ABC-1234' },
    });
    expect(response.status).toBe(400);
  });

  it('refuse check-in for a deactivated host', async () => {
    await expectStatus(admin.post('/v1/hosts', { id: 'h_fzr_leaving', name: 'Leaving Host', email: 'leaving@acme.com', location_id: 'loc_fzr_main' }), 201);
    const invited = await expectStatus(
      admin.post('/v1/pre-registrations', { host_id: 'h_fzr_leaving', visitor: { name: 'Ana Ruiz', email: 'ana@acme.com' }, scheduled_at: new Date(Date.now() + 5 * 60_000).toISOString(), window_minutes: 60 }),
      201,
    );
    await expectStatus(admin.post('/v1/hosts/h_fzr_leaving/deactivate'), 200);

    const response = await lobby.client.post('/v1/kiosk/checkins', { check_in_code: (invited.body as { check_in_code: string }).check_in_code });
    expect(response.status).toBe(409);
    const preRegistration = await admin.get(`/v1/pre-registrations/${(invited.body as { id: string }).id}`);
    expect(preRegistration.body.status).toBe('scheduled');
  });
});
