import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ApiClient, ApiResponse } from './support/client';
import { connectRaw, readRawResponse } from './support/raw-http';
import { startTestServer, type TestServer } from './support/server';
import { makeTenant, REFERENCE_DRIVER_VISIT, REFERENCE_VISITOR_VISIT, seedReferenceDirectory, type TestTenant } from './support/tenants';

const DAY_MS = 24 * 60 * 60 * 1000;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

/** Creates a tenant with the reference location and host in its test data, so tests never share keys or rows. */
async function seededTenant(name: string): Promise<{ tenant: TestTenant; api: ApiClient }> {
  const tenant = await makeTenant(server.runtime.db, name);
  const api = server.client(tenant.testKey);
  await seedReferenceDirectory(api);
  return { tenant, api };
}

async function countVisits(tenantId: string, mode: 'live' | 'test' = 'test'): Promise<number> {
  const row = await server.runtime.db
    .selectFrom('visits')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .where('mode', '=', mode)
    .executeTakeFirstOrThrow();
  return row.n;
}

async function findKeyRow(tenantId: string, key: string) {
  return server.runtime.db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('mode', '=', 'test')
    .where('key', '=', key)
    .executeTakeFirst();
}

function withKey(key: string): Record<string, string> {
  return { 'idempotency-key': key };
}

describe('POST /v1/visits with Idempotency-Key', () => {
  it('creates one visit under concurrency', async () => {
    const { tenant, api } = await seededTenant('idempotency concurrency');
    const key = randomUUID();

    const responses = await Promise.all(Array.from({ length: 50 }, () => api.post('/v1/visits', REFERENCE_VISITOR_VISIT, withKey(key))));
    const created = responses.filter((r) => r.status === 201);
    const inUse = responses.filter((r) => r.status === 409);
    const originals = created.filter((r) => r.headers.get('idempotent-replayed') === null);
    const replays = created.filter((r) => r.headers.get('idempotent-replayed') !== null);

    expect(await countVisits(tenant.tenantId)).toBe(1);
    expect(responses.map((r) => r.status).filter((status) => status !== 201 && status !== 409)).toEqual([]);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(originals).toHaveLength(1);
    expect(replays.map((r) => r.headers.get('idempotent-replayed')).filter((value) => value !== 'true')).toEqual([]);
    for (const response of inUse) {
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(response.body.type).toBe('urn:visitorflow:problem:idempotency-key-in-use');
    }
  });

  it('replays first response sequentially', async () => {
    const { tenant, api } = await seededTenant('idempotency replay');
    const key = randomUUID();

    const first = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT, withKey(key));
    const second = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT, withKey(key));

    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.status).toBe(first.status);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await countVisits(tenant.tenantId)).toBe(1);
  });

  it('answers 422 for changed body', async () => {
    const { tenant, api } = await seededTenant('idempotency changed body');
    const key = randomUUID();

    const first = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT, withKey(key));
    const changed = await api.post('/v1/visits', REFERENCE_DRIVER_VISIT, withKey(key));

    expect(first.status).toBe(201);
    expect(changed.status).toBe(422);
    expect(changed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(changed.body.status).toBe(422);
    expect(changed.body.type).toBe('urn:visitorflow:problem:idempotency-key-reused');
    expect(changed.body.request_id).toBe(changed.headers.get('x-request-id'));
    expect(await countVisits(tenant.tenantId)).toBe(1);
  });

  it('forgets key after invalid payload', async () => {
    const { tenant, api } = await seededTenant('idempotency invalid payload');
    const key = randomUUID();

    const invalid = await api.post('/v1/visits', { ...REFERENCE_VISITOR_VISIT, visitor: { name: 'Marisol Cruz', email: 'not-an-email' } }, withKey(key));
    const stored = await findKeyRow(tenant.tenantId, key);
    const valid = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT, withKey(key));

    expect(invalid.status).toBe(400);
    expect(stored).toBeUndefined();
    expect(valid.status).toBe(201);
    expect(valid.headers.get('idempotent-replayed')).toBeNull();
    expect(await countVisits(tenant.tenantId)).toBe(1);
  });

  it('forgets key after unknown host', async () => {
    const { tenant, api } = await seededTenant('idempotency unknown host');
    const key = randomUUID();

    const unknownHost = await api.post('/v1/visits', { ...REFERENCE_VISITOR_VISIT, host_id: 'h_missing' }, withKey(key));
    const stored = await findKeyRow(tenant.tenantId, key);
    const repeated = await api.post('/v1/visits', { ...REFERENCE_VISITOR_VISIT, host_id: 'h_missing' }, withKey(key));

    expect(unknownHost.status).toBe(400);
    expect(Object.keys(unknownHost.body.issues.fieldErrors)).toEqual(['host_id']);
    expect(stored).toBeUndefined();
    // The repeated request runs again instead of replaying, so it fails the same way.
    expect(repeated.status).toBe(400);
    expect(repeated.headers.get('idempotent-replayed')).toBeNull();

    const retried = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT, withKey(key));

    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    expect(await countVisits(tenant.tenantId)).toBe(1);
  });

  it('scopes keys per tenant', async () => {
    const first = await seededTenant('idempotency tenant one');
    const second = await seededTenant('idempotency tenant two');
    const key = randomUUID();

    const fromFirst = await first.api.post('/v1/visits', REFERENCE_VISITOR_VISIT, withKey(key));
    const fromSecond = await second.api.post('/v1/visits', REFERENCE_VISITOR_VISIT, withKey(key));

    expect(fromFirst.status).toBe(201);
    expect(fromSecond.status).toBe(201);
    expect(fromSecond.headers.get('idempotent-replayed')).toBeNull();
    expect(fromSecond.body.id).not.toBe(fromFirst.body.id);
    expect(await countVisits(first.tenant.tenantId)).toBe(1);
    expect(await countVisits(second.tenant.tenantId)).toBe(1);
  });

  it('scopes keys per mode', async () => {
    const { tenant, api } = await seededTenant('idempotency modes');
    const live = server.client(tenant.liveKey);
    await seedReferenceDirectory(live);
    const key = randomUUID();

    const inTest = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT, withKey(key));
    const inLive = await live.post('/v1/visits', REFERENCE_VISITOR_VISIT, withKey(key));

    expect(inTest.status).toBe(201);
    expect(inLive.status).toBe(201);
    expect(inLive.headers.get('idempotent-replayed')).toBeNull();
    expect(inLive.body.id).not.toBe(inTest.body.id);
    expect(inLive.body.livemode).toBe(true);
    expect(await countVisits(tenant.tenantId, 'test')).toBe(1);
    expect(await countVisits(tenant.tenantId, 'live')).toBe(1);
  });

  it('accepts 255-character key', async () => {
    const { api } = await seededTenant('idempotency longest key');

    const response = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT, withKey('k'.repeat(255)));

    expect(response.status).toBe(201);
  });

  it('rejects 256-character key', async () => {
    const { tenant, api } = await seededTenant('idempotency long key');

    const response = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT, withKey('k'.repeat(256)));

    expectInvalidKeyProblem(response);
    expect(await countVisits(tenant.tenantId)).toBe(0);
  });

  it('rejects tab inside key', async () => {
    const { tenant, api } = await seededTenant('idempotency tab key');

    const response = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT, withKey('abc\tdef'));

    expectInvalidKeyProblem(response);
    expect(await countVisits(tenant.tenantId)).toBe(0);
  });

  it('rejects U+0001 inside key', async () => {
    const { tenant } = await seededTenant('idempotency control key');
    const body = JSON.stringify(REFERENCE_VISITOR_VISIT);
    const port = Number(new URL(server.url).port);
    // fetch and http.request reject this byte, so the request goes out over a raw socket. Node's
    // HTTP parser rejects the header before the app runs, with a bare 400 and no problem document.
    const socket = await connectRaw(port);
    socket.write(
      [
        'POST /v1/visits HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        `Authorization: Bearer ${tenant.testKey}`,
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Idempotency-Key: abc\u0001def',
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );

    const response = await readRawResponse(socket);
    socket.destroy();

    expect(response.status).toBe(400);
    expect(await countVisits(tenant.tenantId)).toBe(0);
  });

  it('stores done row for 24 hours', async () => {
    const { tenant, api } = await seededTenant('idempotency stored row');
    const key = randomUUID();
    const before = Date.now();

    const response = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT, withKey(key));
    const after = Date.now();
    const row = await findKeyRow(tenant.tenantId, key);

    expect(response.status).toBe(201);
    expect(row?.state).toBe('done');
    expect(row?.response_status).toBe(201);
    expect(row?.expires_at.getTime()).toBeGreaterThanOrEqual(before + DAY_MS);
    expect(row?.expires_at.getTime()).toBeLessThanOrEqual(after + DAY_MS);
    expect(Math.abs((row?.expires_at.getTime() ?? 0) - (row?.created_at.getTime() ?? 0) - DAY_MS)).toBeLessThan(5_000);
  });
});

describe('PATCH /v1/visits/{id} with Idempotency-Key', () => {
  it('replays check-out with 200', async () => {
    const { api } = await seededTenant('idempotency check-out');
    const visit = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);
    const key = randomUUID();

    const first = await api.patch(`/v1/visits/${visit.body.id}`, { status: 'checked_out' }, withKey(key));
    const second = await api.patch(`/v1/visits/${visit.body.id}`, { status: 'checked_out' }, withKey(key));
    const withoutKey = await api.patch(`/v1/visits/${visit.body.id}`, { status: 'checked_out' });

    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    // Without the key the same check-out runs again and meets the visit already checked out.
    expect(withoutKey.status).toBe(409);
  });
});

describe('GET with Idempotency-Key', () => {
  it('ignores key on list', async () => {
    const { tenant, api } = await seededTenant('idempotency get');
    const key = randomUUID();

    const empty = await api.get('/v1/visits', withKey(key));
    const created = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);
    const listed = await api.get('/v1/visits', withKey(key));

    expect(empty.status).toBe(200);
    expect(empty.body.data).toEqual([]);
    expect(listed.status).toBe(200);
    expect(listed.headers.get('idempotent-replayed')).toBeNull();
    expect(listed.body.data.map((visit: { id: string }) => visit.id)).toEqual([created.body.id]);
    expect(await findKeyRow(tenant.tenantId, key)).toBeUndefined();
  });
});

/** Checks a 400 problem document whose field errors name the Idempotency-Key header. */
function expectInvalidKeyProblem(response: ApiResponse): void {
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(Object.keys(response.body.issues?.fieldErrors ?? {})).toContain('Idempotency-Key');
}
