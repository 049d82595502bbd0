import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ApiClient, ApiResponse } from './support/client';
import { fetchQrToken, pairKiosk, PHOTO_JPEG, PHOTO_PNG, type PairedKiosk } from './support/kiosk';
import { startTestServer, type TestServer } from './support/server';
import { makeTenant, seedReferenceDirectory, type TestTenant } from './support/tenants';

// seedReferenceDirectory creates LOCATION (es-MX) and HOST (Laura Garza) in each tenant and mode.
const LOCATION = 'loc_mty_01';
const HOST = 'h_98412';
const OTHER_LOCATION = 'loc_gdl_01';
const OTHER_LOCATION_HOST = 'h_gdl_andres';
// Check-in codes use this alphabet, which leaves out 0/O and 1/I.
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

let server: TestServer;
let tenantA: TestTenant;
let tenantB: TestTenant;
let tenantC: TestTenant;
let adminA: ApiClient;

// Tenant A, test mode, at LOCATION unless named otherwise.
let kiosk: PairedKiosk;
let secondKiosk: PairedKiosk;
let otherLocationKiosk: PairedKiosk;
// Tenant A, live mode.
let liveKiosk: PairedKiosk;
// Tenant C, test mode, only for the retired signing key.
let tenantCKiosk: PairedKiosk;

beforeAll(async () => {
  server = await startTestServer();
  tenantA = await makeTenant(server.runtime.db, 'kiosk abuse A');
  tenantB = await makeTenant(server.runtime.db, 'kiosk abuse B');
  tenantC = await makeTenant(server.runtime.db, 'kiosk abuse C');
  adminA = server.client(tenantA.testKey);
  const adminALive = server.client(tenantA.liveKey);
  const adminC = server.client(tenantC.testKey);
  for (const admin of [adminA, adminALive, server.client(tenantB.testKey), adminC]) await seedReferenceDirectory(admin);

  await expectCreated(adminA.post('/v1/locations', { id: OTHER_LOCATION, name: 'Guadalajara Warehouse', timezone: 'America/Mexico_City', locale: 'es-MX' }));
  await expectCreated(adminA.post('/v1/hosts', { id: OTHER_LOCATION_HOST, name: 'Andrés Ortega', email: 'andres.ortega@acme.com', location_id: OTHER_LOCATION }));

  // Five pairings: POST /v1/kiosk/pair admits about six per client address in a burst.
  kiosk = await pairKiosk(server, adminA, LOCATION, 'North lobby');
  secondKiosk = await pairKiosk(server, adminA, LOCATION, 'South lobby');
  otherLocationKiosk = await pairKiosk(server, adminA, OTHER_LOCATION, 'Warehouse gate');
  liveKiosk = await pairKiosk(server, adminALive, LOCATION, 'Live lobby');
  tenantCKiosk = await pairKiosk(server, adminC, LOCATION, 'Tenant C lobby');
});

afterAll(async () => {
  await server?.close();
});

async function expectCreated(request: Promise<ApiResponse>): Promise<ApiResponse> {
  const response = await request;
  if (response.status !== 201) throw new Error(`Setup request failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response;
}

function minutesFromNow(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toISOString();
}

interface Invitation {
  id: string;
  checkInCode: string;
  token: string;
}

/** Pre-registers a visitor with `apiKey` (valid from now, by default) and reads the token from its QR code PNG. */
async function invite(apiKey: string, overrides: Record<string, unknown> = {}): Promise<Invitation> {
  const created = await expectCreated(
    server.client(apiKey).post('/v1/pre-registrations', {
      host_id: HOST,
      visitor: { name: 'Andrés López', email: 'andres@acme.com' },
      scheduled_at: minutesFromNow(10),
      window_minutes: 60,
      ...overrides,
    }),
  );
  return { id: created.body.id, checkInCode: created.body.check_in_code, token: await fetchQrToken(server, apiKey, created.body.id) };
}

/** Generates a random check-in code, which matches a given pre-registration's code with a chance of 2^-40. */
function unknownCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[Math.floor(Math.random() * CODE_ALPHABET.length)];
  return code;
}

/** Replaces the character at `index` with a different base64url character. */
function changeCharacter(text: string, index: number): string {
  const replacement = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

/** Decodes the token's claims (`t`, `m`, `p`, `k`, `nb`, `ex`) without checking the signature. */
function claimsOf(token: string): { k: string; nb: number; ex: number } {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

function expectProblem(response: ApiResponse, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.type).toBe(`urn:visitorflow:problem:${code}`);
}

/**
 * Reads the rows that a check-in, walk-in, photo or NDA request may change, for every tenant
 * of this file. Kiosks are left out because any kiosk request may move last_seen_at.
 * outbound_emails.sent_at is left out because other test files' workers send these emails.
 */
async function visitRows() {
  const db = server.runtime.db;
  const tenantIds = [tenantA.tenantId, tenantB.tenantId, tenantC.tenantId];
  const preRegistrations = await db.selectFrom('pre_registrations').selectAll().where('tenant_id', 'in', tenantIds).orderBy('id').execute();
  const visits = await db.selectFrom('visits').selectAll().where('tenant_id', 'in', tenantIds).orderBy('id').execute();
  const emails = await db.selectFrom('outbound_emails').select(['id', 'kind', 'visit_id', 'pre_registration_id']).where('tenant_id', 'in', tenantIds).orderBy('id').execute();
  return { preRegistrations, visits, emails };
}

const WALK_IN_VISITOR = { type: 'visitor', host_id: HOST, visitor: { name: 'Marisol Cruz', email: 'marisol@acme.com', company: 'Acme Co' } };
const WALK_IN_DRIVER = {
  type: 'driver',
  driver: { name: 'J. Pérez', license_number: 'LIC-1234' },
  shipment: { bol_ref: 'BOL-88412', type: 'delivery', hazmat: false },
  vehicle: { tractor_plate: 'ABC-1234', trailer_plate: 'TR-998' },
};

async function openWalkIn(at: PairedKiosk, body: object = WALK_IN_VISITOR): Promise<string> {
  const response = await expectCreated(at.client.post('/v1/kiosk/visits', body));
  return response.body.id;
}

async function uploadPhoto(at: PairedKiosk, visitId: string, photo: Buffer = PHOTO_PNG, contentType = 'image/png'): Promise<ApiResponse> {
  return at.client.request('PUT', `/v1/kiosk/visits/${visitId}/photo`, { raw: photo, headers: { 'content-type': contentType } });
}

/** Signs the NDA version the kiosk shows now, with a typed name unless `signature` gives another. */
async function signNda(at: PairedKiosk, visitId: string, signature: Record<string, unknown> = { typed_name: 'Marisol Cruz' }): Promise<ApiResponse> {
  const nda = await at.client.get('/v1/kiosk/nda');
  return at.client.post(`/v1/kiosk/visits/${visitId}/nda`, {
    document_version: nda.body.version,
    locale: nda.body.locale,
    signer_name: 'Marisol Cruz',
    accepted_at: new Date().toISOString(),
    ...signature,
  });
}

/** Opens a walk-in visit at `at` and completes it with a photo and an NDA signature. */
async function openOnsiteVisit(at: PairedKiosk): Promise<string> {
  const visitId = await openWalkIn(at);
  await uploadPhoto(at, visitId);
  const signed = await signNda(at, visitId);
  if (signed.body.status !== 'onsite') throw new Error(`Visit ${visitId} did not become onsite: ${JSON.stringify(signed.body)}`);
  return visitId;
}

function checkIn(at: PairedKiosk, body: Record<string, unknown>): Promise<ApiResponse> {
  return at.client.post('/v1/kiosk/checkins', body);
}

describe('QR token at kiosk', () => {
  it('rejects tampered payload', async () => {
    const { token } = await invite(tenantA.testKey);
    const [version, payload = '', signature] = token.split('.');
    // The last characters encode the `ex` claim, so the tenant and mode claims stay intact.
    const tampered = `${version}.${changeCharacter(payload, payload.length - 3)}.${signature}`;
    const before = await visitRows();

    const response = await checkIn(kiosk, { qr_token: tampered });

    expectProblem(response, 422, 'checkin-token-invalid');
    expect(await visitRows()).toEqual(before);
  });

  it('rejects tampered signature', async () => {
    const { token } = await invite(tenantA.testKey);
    const lastDot = token.lastIndexOf('.');
    const tampered = token.slice(0, lastDot + 1) + changeCharacter(token.slice(lastDot + 1), 10);
    const before = await visitRows();

    const response = await checkIn(kiosk, { qr_token: tampered });

    expectProblem(response, 422, 'checkin-token-invalid');
    expect(await visitRows()).toEqual(before);
  });

  it.each(['hello', 'v1.x'])('rejects malformed token "%s"', async (token) => {
    const before = await visitRows();

    const response = await checkIn(kiosk, { qr_token: token });

    expectProblem(response, 422, 'checkin-token-invalid');
    expect(await visitRows()).toEqual(before);
  });

  it("rejects other tenant's token", async () => {
    const { token } = await invite(tenantB.testKey);
    const before = await visitRows();

    const response = await checkIn(kiosk, { qr_token: token });

    expectProblem(response, 422, 'checkin-token-other-tenant');
    expect(await visitRows()).toEqual(before);
  });

  it('rejects test token at live kiosk', async () => {
    const { token } = await invite(tenantA.testKey);
    const before = await visitRows();

    const response = await checkIn(liveKiosk, { qr_token: token });

    expectProblem(response, 422, 'checkin-token-other-tenant');
    expect(await visitRows()).toEqual(before);
  });

  it('rejects reused token', async () => {
    const { token } = await invite(tenantA.testKey);
    const first = await checkIn(kiosk, { qr_token: token });
    const before = await visitRows();

    const second = await checkIn(kiosk, { qr_token: token });

    expect(first.status).toBe(201);
    expectProblem(second, 422, 'checkin-token-used');
    expect(await visitRows()).toEqual(before);
  });

  it('rejects cancelled pre-registration', async () => {
    const { id, token } = await invite(tenantA.testKey);
    const cancelled = await adminA.post(`/v1/pre-registrations/${id}/cancel`);
    const before = await visitRows();

    const response = await checkIn(kiosk, { qr_token: token });

    expect(cancelled.status).toBe(200);
    expectProblem(response, 422, 'pre-registration-cancelled');
    expect(await visitRows()).toEqual(before);
  });

  it('rejects token after window closed', async () => {
    const { id, token } = await invite(tenantA.testKey);
    // POST /v1/pre-registrations rejects a window that has already closed, and waiting for one
    // to close would take minutes. The kiosk checks the window stored on the row, not the
    // token's own nb/ex claims, so moving the stored window into the past expires this token
    // although its claims still read as valid.
    await server.runtime.db
      .updateTable('pre_registrations')
      .set({ valid_from: new Date(Date.now() - 3 * 3_600_000), valid_until: new Date(Date.now() - 3_600_000) })
      .where('tenant_id', '=', tenantA.tenantId)
      .where('id', '=', id)
      .execute();
    const before = await visitRows();

    const response = await checkIn(kiosk, { qr_token: token });

    expect(claimsOf(token).ex * 1000).toBeGreaterThan(Date.now());
    expectProblem(response, 422, 'checkin-token-expired');
    expect(await visitRows()).toEqual(before);
  });

  it('rejects token before window opens', async () => {
    const { token } = await invite(tenantA.testKey, { scheduled_at: minutesFromNow(2 * 24 * 60) });
    const before = await visitRows();

    const response = await checkIn(kiosk, { qr_token: token });

    expectProblem(response, 422, 'checkin-token-not-yet-valid');
    expect(await visitRows()).toEqual(before);
  });

  it('rejects token at other location', async () => {
    const { token } = await invite(tenantA.testKey);
    const before = await visitRows();

    const response = await checkIn(otherLocationKiosk, { qr_token: token });

    expectProblem(response, 422, 'checkin-token-wrong-location');
    expect(await visitRows()).toEqual(before);
  });

  it('rejects token of retired key', async () => {
    const { token } = await invite(tenantC.testKey);
    const keyId = claimsOf(token).k;
    const signingKeys = server.runtime.db.updateTable('tenant_signing_keys').where('tenant_id', '=', tenantC.tenantId).where('id', '=', keyId);
    await signingKeys.set({ retired_at: new Date() }).execute();
    try {
      const before = await visitRows();

      const response = await checkIn(tenantCKiosk, { qr_token: token });

      expectProblem(response, 422, 'checkin-token-invalid');
      expect(await visitRows()).toEqual(before);
    } finally {
      // The invitation email is still queued, and rendering it needs the key.
      await signingKeys.set({ retired_at: null }).execute();
    }
  });
});

describe('check-in code at kiosk', () => {
  it('accepts correct code once', async () => {
    const { id, checkInCode } = await invite(tenantA.testKey);
    const first = await checkIn(kiosk, { check_in_code: checkInCode });
    const before = await visitRows();

    const second = await checkIn(kiosk, { check_in_code: checkInCode });

    expect(first.status).toBe(201);
    expect(first.body.pre_registration_id).toBe(id);
    expectProblem(second, 422, 'checkin-token-used');
    expect(await visitRows()).toEqual(before);
  });

  it('accepts lower-case code', async () => {
    const { id, checkInCode } = await invite(tenantA.testKey);

    const response = await checkIn(kiosk, { check_in_code: checkInCode.toLowerCase() });

    expect(response.status).toBe(201);
    expect(response.body.pre_registration_id).toBe(id);
  });

  it('accepts code with spaces and dashes', async () => {
    const { id, checkInCode } = await invite(tenantA.testKey);

    const response = await checkIn(kiosk, { check_in_code: ` ${checkInCode.slice(0, 4)} - ${checkInCode.slice(4)} ` });

    expect(response.status).toBe(201);
    expect(response.body.pre_registration_id).toBe(id);
  });

  it('rejects wrong code', async () => {
    const before = await visitRows();

    const response = await checkIn(kiosk, { check_in_code: unknownCode() });

    expectProblem(response, 422, 'checkin-token-invalid');
    expect(await visitRows()).toEqual(before);
  });

  it('limits wrong codes per kiosk', async () => {
    const before = await visitRows();
    const rejections: ApiResponse[] = [];
    let limited: ApiResponse | undefined;
    // About ten guesses get through in a burst, and the loop stops at the first 429.
    for (let attempt = 0; attempt < 30 && !limited; attempt++) {
      const response = await checkIn(secondKiosk, { check_in_code: unknownCode() });
      if (response.status === 429) limited = response;
      else rejections.push(response);
    }
    const atAnotherKiosk = await checkIn(kiosk, { check_in_code: unknownCode() });

    expect(rejections.map((r) => r.body.type)).toEqual(rejections.map(() => 'urn:visitorflow:problem:checkin-token-invalid'));
    expect(rejections.length).toBeGreaterThanOrEqual(5);
    expect(limited?.body.type).toBe('urn:visitorflow:problem:checkin-code-attempts');
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expectProblem(atAnotherKiosk, 422, 'checkin-token-invalid');
    expect(await visitRows()).toEqual(before);
  });

  it('limits attempts per code', async () => {
    const code = unknownCode();
    const before = await visitRows();
    // Five tries of one code an hour are allowed, from any kiosks of the tenant.
    const tries: ApiResponse[] = [];
    for (let attempt = 0; attempt < 5; attempt++) tries.push(await checkIn(otherLocationKiosk, { check_in_code: code }));

    const sixth = await checkIn(kiosk, { check_in_code: code.toLowerCase() });
    const otherCode = await checkIn(kiosk, { check_in_code: unknownCode() });

    expect(tries.map((r) => r.status)).toEqual([422, 422, 422, 422, 422]);
    expectProblem(sixth, 429, 'checkin-code-attempts');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expectProblem(otherCode, 422, 'checkin-token-invalid');
    expect(await visitRows()).toEqual(before);
  });
});

describe('simultaneous scans', () => {
  it('admit exactly one kiosk', async () => {
    const { id, token } = await invite(tenantA.testKey);

    const responses = await Promise.all([checkIn(kiosk, { qr_token: token }), checkIn(secondKiosk, { qr_token: token })]);
    const visits = await server.runtime.db.selectFrom('visits').select('id').where('tenant_id', '=', tenantA.tenantId).where('pre_registration_id', '=', id).execute();

    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 422]);
    expect(responses.find((r) => r.status === 422)?.body.type).toBe('urn:visitorflow:problem:checkin-token-used');
    expect(visits).toHaveLength(1);
  });
});

describe('pairing', () => {
  // POST /v1/kiosk/pair admits about six attempts per client address in a burst, and the
  // file's setup already used five, so these cases run on a server whose limiter starts empty.
  let pairingServer: TestServer;
  let admin: ApiClient;

  beforeAll(async () => {
    pairingServer = await startTestServer();
    admin = pairingServer.client(tenantA.testKey);
  });

  afterAll(async () => {
    await pairingServer?.close();
  });

  function pair(code: string): Promise<ApiResponse> {
    return pairingServer.client().post('/v1/kiosk/pair', { pairing_code: code });
  }

  /** Reads the kiosk's row (without last_seen_at, which requests move) and its credentials. */
  async function kioskRows(kioskId: string) {
    const db = pairingServer.runtime.db;
    const row = await db
      .selectFrom('kiosks')
      .select(['id', 'status', 'paired_at', 'revoked_at'])
      .where('tenant_id', '=', tenantA.tenantId)
      .where('id', '=', kioskId)
      .executeTakeFirstOrThrow();
    const credentials = await db.selectFrom('kiosk_credentials').selectAll().where('tenant_id', '=', tenantA.tenantId).where('kiosk_id', '=', kioskId).orderBy('secret_hash').execute();
    return { row, credentials };
  }

  it('accepts pairing code once', async () => {
    const created = await expectCreated(admin.post('/v1/kiosks', { location_id: LOCATION, name: 'Pair once' }));
    const first = await pair(created.body.pairing_code);
    const before = await kioskRows(created.body.id);

    const second = await pair(created.body.pairing_code);
    const firstTokenStillWorks = await pairingServer.client(first.body.device_token).get('/v1/kiosk/nda');

    expect(first.status).toBe(200);
    expectProblem(second, 400, 'invalid-pairing-code');
    expect(await kioskRows(created.body.id)).toEqual(before);
    expect(firstTokenStillWorks.status).toBe(200);
  });

  it('rejects expired pairing code', async () => {
    const created = await expectCreated(admin.post('/v1/kiosks', { location_id: LOCATION, name: 'Expired code' }));
    await pairingServer.runtime.db
      .updateTable('kiosk_credentials')
      .set({ expires_at: new Date(Date.now() - 60_000) })
      .where('tenant_id', '=', tenantA.tenantId)
      .where('kiosk_id', '=', created.body.id)
      .where('kind', '=', 'pairing_code')
      .execute();
    const before = await kioskRows(created.body.id);

    const response = await pair(created.body.pairing_code);

    expectProblem(response, 400, 'invalid-pairing-code');
    expect(await kioskRows(created.body.id)).toEqual(before);
  });

  it('replaces token on re-pairing', async () => {
    const created = await expectCreated(admin.post('/v1/kiosks', { location_id: LOCATION, name: 'Re-paired' }));
    const oldToken = (await pair(created.body.pairing_code)).body.device_token;
    const newCode = await admin.post(`/v1/kiosks/${created.body.id}/pairing-code`);
    const newPairing = await pair(newCode.body.pairing_code);

    const withOldToken = await pairingServer.client(oldToken).get('/v1/kiosk/nda');
    const withNewToken = await pairingServer.client(newPairing.body.device_token).get('/v1/kiosk/nda');

    expect(newCode.status).toBe(200);
    expect(newPairing.status).toBe(200);
    expectProblem(withOldToken, 401, 'unauthorized');
    expect(withNewToken.status).toBe(200);
  });

  it('rejects revoked kiosk token', async () => {
    const created = await expectCreated(admin.post('/v1/kiosks', { location_id: LOCATION, name: 'Revoked' }));
    const token = (await pair(created.body.pairing_code)).body.device_token;
    const beforeRevoke = await pairingServer.client(token).get('/v1/kiosk/nda');
    const revoked = await admin.post(`/v1/kiosks/${created.body.id}/revoke`);

    const afterRevoke = await pairingServer.client(token).get('/v1/kiosk/nda');

    expect(beforeRevoke.status).toBe(200);
    expect(revoked.body.status).toBe('revoked');
    expectProblem(afterRevoke, 401, 'unauthorized');
    expect((await kioskRows(created.body.id)).credentials).toEqual([]);
  });

  it('rejects pairing code for revoked kiosk', async () => {
    const created = await expectCreated(admin.post('/v1/kiosks', { location_id: LOCATION, name: 'Revoked unpaired' }));
    await admin.post(`/v1/kiosks/${created.body.id}/revoke`);
    const before = await kioskRows(created.body.id);

    const response = await admin.post(`/v1/kiosks/${created.body.id}/pairing-code`);

    expectProblem(response, 409, 'conflict');
    expect(await kioskRows(created.body.id)).toEqual(before);
  });
});

describe('credentials', () => {
  it('rejects API key on kiosk routes', async () => {
    const before = await visitRows();

    const walkIn = await adminA.post('/v1/kiosk/visits', WALK_IN_VISITOR);
    const nda = await adminA.get('/v1/kiosk/nda');

    expectProblem(walkIn, 401, 'unauthorized');
    expectProblem(nda, 401, 'unauthorized');
    expect(await visitRows()).toEqual(before);
  });

  it('rejects device token on admin routes', async () => {
    const before = await visitRows();

    const list = await kiosk.client.get('/v1/visits');
    const create = await kiosk.client.post('/v1/pre-registrations', { host_id: HOST, visitor: { name: 'Ana', email: 'ana@acme.com' }, scheduled_at: minutesFromNow(10) });

    expectProblem(list, 401, 'unauthorized');
    expectProblem(create, 401, 'unauthorized');
    expect(await visitRows()).toEqual(before);
  });

  it('rejects missing token', async () => {
    const { token } = await invite(tenantA.testKey);
    const before = await visitRows();

    const response = await server.client().post('/v1/kiosk/checkins', { qr_token: token });

    expectProblem(response, 401, 'unauthorized');
    expect(await visitRows()).toEqual(before);
  });
});

describe('tenant and location injection', () => {
  it('rejects walk-in naming location', async () => {
    const before = await visitRows();

    const response = await kiosk.client.post('/v1/kiosk/visits', { ...WALK_IN_VISITOR, location_id: OTHER_LOCATION });

    expectProblem(response, 400, 'invalid-payload');
    expect(response.body.issues.fieldErrors).toHaveProperty('location_id');
    expect(await visitRows()).toEqual(before);
  });

  it('rejects walk-in naming tenant', async () => {
    const before = await visitRows();

    const response = await kiosk.client.post('/v1/kiosk/visits', { ...WALK_IN_DRIVER, tenant_id: tenantB.tenantId });

    expectProblem(response, 400, 'invalid-payload');
    expect(response.body.issues.fieldErrors).toHaveProperty('tenant_id');
    expect(await visitRows()).toEqual(before);
  });

  it('rejects host search naming location', async () => {
    const response = await kiosk.client.get(`/v1/kiosk/hosts?q=a&location_id=${OTHER_LOCATION}`);

    expectProblem(response, 400, 'invalid-payload');
    expect(response.body.issues.fieldErrors).toHaveProperty('location_id');
  });

  it('rejects check-in naming tenant', async () => {
    const { token } = await invite(tenantA.testKey);
    const before = await visitRows();

    const response = await checkIn(kiosk, { qr_token: token, tenant_id: tenantA.tenantId });

    expectProblem(response, 400, 'invalid-payload');
    expect(response.body.issues.fieldErrors).toHaveProperty('tenant_id');
    expect(await visitRows()).toEqual(before);
  });

  it('hides checkout at other location', async () => {
    const visitId = await openOnsiteVisit(kiosk);
    const before = await visitRows();

    const response = await otherLocationKiosk.client.post(`/v1/kiosk/visits/${visitId}/checkout`);

    expectProblem(response, 404, 'not-found');
    expect(await visitRows()).toEqual(before);
  });

  it('hides photo at other location', async () => {
    const visitId = await openWalkIn(kiosk);
    const before = await visitRows();

    const response = await uploadPhoto(otherLocationKiosk, visitId);

    expectProblem(response, 404, 'not-found');
    expect(await visitRows()).toEqual(before);
  });

  it('hides NDA at other location', async () => {
    const visitId = await openWalkIn(kiosk);
    const before = await visitRows();

    const response = await signNda(otherLocationKiosk, visitId);

    expectProblem(response, 404, 'not-found');
    expect(await visitRows()).toEqual(before);
  });
});

describe('kiosk photos', () => {
  it('rejects photo over 2 MiB', async () => {
    const visitId = await openWalkIn(kiosk);
    const oversized = Buffer.concat([PHOTO_PNG, Buffer.alloc(2 * 1024 * 1024 + 1 - PHOTO_PNG.length)]);
    const before = await visitRows();

    const response = await uploadPhoto(kiosk, visitId, oversized);

    expectProblem(response, 413, 'payload-too-large');
    expect(await visitRows()).toEqual(before);
  });

  it('rejects non-image bytes as PNG', async () => {
    const visitId = await openWalkIn(kiosk);
    const before = await visitRows();

    const response = await uploadPhoto(kiosk, visitId, Buffer.from('this is plain text, not a picture'));

    expectProblem(response, 415, 'invalid-image');
    expect(await visitRows()).toEqual(before);
  });

  it('rejects JPEG declared as PNG', async () => {
    const visitId = await openWalkIn(kiosk);
    const before = await visitRows();

    const response = await uploadPhoto(kiosk, visitId, PHOTO_JPEG, 'image/png');

    expectProblem(response, 415, 'invalid-image');
    expect(await visitRows()).toEqual(before);
  });

  it('rejects photo of onsite visit', async () => {
    const visitId = await openOnsiteVisit(kiosk);
    const before = await visitRows();

    const response = await uploadPhoto(kiosk, visitId);

    expectProblem(response, 409, 'conflict');
    expect(await visitRows()).toEqual(before);
  });
});

describe('NDA signature', () => {
  it('rejects wrong document version', async () => {
    const visitId = await openWalkIn(kiosk);
    const current = await kiosk.client.get('/v1/kiosk/nda');
    const before = await visitRows();

    const response = await signNda(kiosk, visitId, { typed_name: 'Marisol Cruz', document_version: current.body.version + 1 });

    expectProblem(response, 409, 'conflict');
    expect(await visitRows()).toEqual(before);
  });

  it('rejects typed and drawn signature', async () => {
    const visitId = await openWalkIn(kiosk);
    const before = await visitRows();

    const response = await signNda(kiosk, visitId, { typed_name: 'Marisol Cruz', signature_png_base64: PHOTO_PNG.toString('base64') });

    expectProblem(response, 400, 'invalid-payload');
    expect(response.body.issues.fieldErrors).toHaveProperty('typed_name');
    expect(await visitRows()).toEqual(before);
  });

  it('rejects missing signature', async () => {
    const visitId = await openWalkIn(kiosk);
    const before = await visitRows();

    const response = await signNda(kiosk, visitId, {});

    expectProblem(response, 400, 'invalid-payload');
    expect(response.body.issues.fieldErrors).toHaveProperty('typed_name');
    expect(await visitRows()).toEqual(before);
  });

  it('records drawn signature', async () => {
    const visitId = await openWalkIn(kiosk);

    const response = await signNda(kiosk, visitId, { signature_png_base64: PHOTO_PNG.toString('base64') });
    const row = await server.runtime.db.selectFrom('visits').select(['nda_signature', 'nda_signature_key']).where('tenant_id', '=', tenantA.tenantId).where('id', '=', visitId).executeTakeFirstOrThrow();

    expect(response.status).toBe(200);
    expect(response.body.nda.signature).toBe('drawn');
    expect(row.nda_signature).toBe('drawn');
    expect(row.nda_signature_key).toBeTypeOf('string');
  });

  describe('after new version published', () => {
    const TEXTS = {
      en: { title: 'Confidentiality agreement v2', body: 'I will not disclose anything I see or hear during my visit.' },
      'es-MX': { title: 'Acuerdo de confidencialidad v2', body: 'No divulgaré nada de lo que vea o escuche durante mi visita.' },
    };
    let oldVersion: number;
    let published: ApiResponse;
    let signedBeforeId: string;

    beforeAll(async () => {
      signedBeforeId = await openOnsiteVisit(kiosk);
      oldVersion = (await kiosk.client.get('/v1/kiosk/nda')).body.version;
      published = await adminA.post(`/v1/locations/${LOCATION}/nda-documents`, { texts: TEXTS });
    });

    it('serves new version in both locales', async () => {
      const english = await kiosk.client.get('/v1/kiosk/nda?locale=en');
      const spanish = await kiosk.client.get('/v1/kiosk/nda?locale=es-MX');

      expect(published.status).toBe(201);
      expect(published.body.version).toBe(oldVersion + 1);
      expect(english.body).toEqual({ version: oldVersion + 1, locale: 'en', ...TEXTS.en });
      expect(spanish.body).toEqual({ version: oldVersion + 1, locale: 'es-MX', ...TEXTS['es-MX'] });
    });

    it('rejects superseded version', async () => {
      const visitId = await openWalkIn(kiosk);
      const before = await visitRows();

      const response = await signNda(kiosk, visitId, { typed_name: 'Marisol Cruz', document_version: oldVersion });

      expectProblem(response, 409, 'conflict');
      expect(await visitRows()).toEqual(before);
    });

    it('visit keeps signed version', async () => {
      const visit = await adminA.get(`/v1/visits/${signedBeforeId}`);

      expect(visit.body.nda.version).toBe(oldVersion);
    });
  });
});

describe('host search at kiosk', () => {
  const ANDRES = 'h_andres_ramirez';
  const DEACTIVATED = 'h_andrea_inactive';

  beforeAll(async () => {
    await expectCreated(adminA.post('/v1/hosts', { id: ANDRES, name: 'Andrés Ramírez', email: 'andres.ramirez@acme.com', location_id: LOCATION }));
    await expectCreated(adminA.post('/v1/hosts', { id: DEACTIVATED, name: 'Andrea Salinas', email: 'andrea.salinas@acme.com', location_id: LOCATION }));
    const deactivated = await adminA.post(`/v1/hosts/${DEACTIVATED}/deactivate`);
    if (deactivated.status !== 200) throw new Error(`Deactivating ${DEACTIVATED} failed: ${deactivated.status} ${JSON.stringify(deactivated.body)}`);
  });

  async function searchIds(q: string): Promise<string[]> {
    const response = await kiosk.client.get(`/v1/kiosk/hosts?q=${encodeURIComponent(q)}`);
    if (response.status !== 200) throw new Error(`Host search for "${q}" failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.data.map((host: { id: string }) => host.id);
  }

  it('finds accented name unaccented', async () => {
    expect(await searchIds('andres')).toContain(ANDRES);
  });

  it('finds last name prefix', async () => {
    expect(await searchIds('rami')).toContain(ANDRES);
  });

  it('ignores case', async () => {
    expect(await searchIds('ANDRÉS')).toContain(ANDRES);
    expect(await searchIds('rAmÍrEz')).toContain(ANDRES);
  });

  it("omits other location's host", async () => {
    expect(await searchIds('andres')).not.toContain(OTHER_LOCATION_HOST);
  });

  it('omits deactivated host', async () => {
    expect(await searchIds('andrea')).not.toContain(DEACTIVATED);
  });
});

describe('walk-in visits', () => {
  it('opens pending visitor visit', async () => {
    const response = await kiosk.client.post('/v1/kiosk/visits', WALK_IN_VISITOR);

    expect(response.status).toBe(201);
    expect(response.body.status).toBe('pending');
    expect(response.body.location_id).toBe(LOCATION);
    expect(response.body.kiosk_id).toBe(kiosk.id);
    expect(response.body.checked_in_at).toBeNull();
  });

  it('opens pending driver visit', async () => {
    const response = await kiosk.client.post('/v1/kiosk/visits', WALK_IN_DRIVER);

    expect(response.status).toBe(201);
    expect(response.body.type).toBe('driver');
    expect(response.body.status).toBe('pending');
    expect(response.body.location_id).toBe(LOCATION);
  });

  it('rejects host of other location', async () => {
    const before = await visitRows();

    const response = await kiosk.client.post('/v1/kiosk/visits', { ...WALK_IN_VISITOR, host_id: OTHER_LOCATION_HOST });

    expectProblem(response, 400, 'invalid-payload');
    expect(response.body.issues.fieldErrors).toHaveProperty('host_id');
    expect(await visitRows()).toEqual(before);
  });

  it('completes visitor visit, queues host email', async () => {
    const visitId = await openWalkIn(kiosk);

    const photo = await uploadPhoto(kiosk, visitId);
    const signed = await signNda(kiosk, visitId);
    const emails = await server.runtime.db.selectFrom('outbound_emails').selectAll().where('tenant_id', '=', tenantA.tenantId).where('visit_id', '=', visitId).execute();

    expect(photo.body.status).toBe('pending');
    expect(signed.body.status).toBe('onsite');
    expect(signed.body.checked_in_at).toBeTypeOf('string');
    expect(signed.body.host_notified).toBe(true);
    expect(emails.map((e) => [e.kind, e.recipient])).toEqual([['host_arrival', 'laura.garza@acme.com']]);
  });

  it('completes driver visit without email', async () => {
    const visitId = await openWalkIn(kiosk, WALK_IN_DRIVER);

    const signed = await signNda(kiosk, visitId);
    const photo = await uploadPhoto(kiosk, visitId, PHOTO_JPEG, 'image/jpeg');
    const emails = await server.runtime.db.selectFrom('outbound_emails').select('id').where('tenant_id', '=', tenantA.tenantId).where('visit_id', '=', visitId).execute();

    expect(signed.body.status).toBe('pending');
    expect(photo.body.status).toBe('onsite');
    expect(photo.body.host_notified).toBe(false);
    expect(emails).toEqual([]);
  });
});

describe('kiosk list', () => {
  it('shows last seen time', async () => {
    // Requests update last_seen_at at most once a minute, so start from an hour ago.
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await server.runtime.db.updateTable('kiosks').set({ last_seen_at: anHourAgo }).where('tenant_id', '=', tenantA.tenantId).where('id', '=', kiosk.id).execute();
    const requestedAt = Date.now();

    await kiosk.client.get('/v1/kiosk/nda');
    const list = await adminA.get(`/v1/kiosks?location_id=${LOCATION}`);

    const listed = list.body.data.find((k: { id: string }) => k.id === kiosk.id);
    expect(listed?.status).toBe('active');
    expect(Date.parse(listed?.last_seen_at)).toBeGreaterThanOrEqual(requestedAt - 1_000);
  });
});
