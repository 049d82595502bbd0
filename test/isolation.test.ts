import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createApiKey, revokeApiKey } from '../server/src/tenants';
import type { ApiClient, ApiResponse } from './support/client';
import { startTestServer, type TestServer } from './support/server';
import { makeTenant, REFERENCE_DRIVER_VISIT, REFERENCE_VISITOR_VISIT, type TestTenant } from './support/tenants';

type Mode = 'live' | 'test';
type ScopeName = 'A live' | 'A test' | 'B live' | 'B test';

/** One tenant's data in one mode, with the objects that beforeAll creates there. */
interface Scope {
  name: ScopeName;
  tenantId: string;
  mode: Mode;
  client: ApiClient;
  /** Short form of the name used in ids and names, such as `a_live`. */
  slug: string;
  locationId: string;
  hostId: string;
  visitorVisitId: string;
  driverVisitId: string;
  /** The name given to every object of this scope, so a leak shows up in any response body. */
  marker: string;
}

const SHARED_LOCATION_ID = 'loc_shared';
const SHARED_HOST_ID = 'h_shared';

let server: TestServer;
const tenants: Record<'A' | 'B', TestTenant> = {} as Record<'A' | 'B', TestTenant>;
const scopes = {} as Record<ScopeName, Scope>;

/** Creates a location and a host with shared ids, another pair with ids unique to the scope, and two visits. */
async function populateScope(name: ScopeName, tenant: TestTenant): Promise<Scope> {
  const mode: Mode = name.endsWith('live') ? 'live' : 'test';
  const client = server.client(mode === 'live' ? tenant.liveKey : tenant.testKey);
  const slug = name.toLowerCase().replace(' ', '_');
  const marker = `Marker ${slug}`;
  const locationId = `loc_${slug}`;
  const hostId = `h_${slug}`;

  const requests: [string, unknown][] = [
    ['/v1/locations', { id: SHARED_LOCATION_ID, name: `${marker} shared site` }],
    ['/v1/locations', { id: locationId, name: `${marker} site` }],
    ['/v1/hosts', { id: SHARED_HOST_ID, name: `${marker} shared host`, email: `shared@${slug.replace('_', '-')}.example`, location_id: SHARED_LOCATION_ID }],
    ['/v1/hosts', { id: hostId, name: `${marker} host`, email: `host@${slug.replace('_', '-')}.example`, location_id: locationId }],
  ];
  for (const [path, body] of requests) {
    const response = await client.post(path, body);
    if (response.status !== 201) throw new Error(`Seeding ${name} at ${path} failed: ${response.status} ${JSON.stringify(response.body)}`);
  }

  const visitor = await client.post('/v1/visits', { ...REFERENCE_VISITOR_VISIT, host_id: hostId, location_id: locationId, visitor: { name: `${marker} visitor`, email: 'guest@acme.com' } });
  const driver = await client.post('/v1/visits', { ...REFERENCE_DRIVER_VISIT, location_id: locationId, driver: { name: `${marker} driver`, license_number: 'LIC-1' } });
  if (visitor.status !== 201 || driver.status !== 201) throw new Error(`Seeding visits for ${name} failed: ${visitor.status} ${driver.status}`);

  return { name, tenantId: tenant.tenantId, mode, client, slug, locationId, hostId, visitorVisitId: visitor.body.id, driverVisitId: driver.body.id, marker };
}

/** Reads the stored row of one location, host or visit of `owner` straight from PostgreSQL. */
function readRow(owner: Scope, table: 'locations' | 'hosts' | 'visits', id: string) {
  return server.runtime.db
    .selectFrom(table)
    .selectAll()
    .where('tenant_id', '=', owner.tenantId)
    .where('mode', '=', owner.mode)
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** Reads every row of `table` in one tenant and mode, ordered by id. */
function readAllRows(tenantId: string, mode: Mode, table: 'locations' | 'hosts' | 'visits') {
  return server.runtime.db.selectFrom(table).selectAll().where('tenant_id', '=', tenantId).where('mode', '=', mode).orderBy('id').execute();
}

beforeAll(async () => {
  server = await startTestServer();
  tenants.A = await makeTenant(server.runtime.db, 'isolation A');
  tenants.B = await makeTenant(server.runtime.db, 'isolation B');
  for (const name of ['A live', 'A test', 'B live', 'B test'] as const) {
    scopes[name] = await populateScope(name, tenants[name[0] as 'A' | 'B']);
  }
});

afterAll(async () => {
  await server?.close();
});

/** A request on one object of the owner's scope, and the table and id of the row it targets. */
interface ObjectRoute {
  route: string;
  table: 'locations' | 'hosts' | 'visits';
  send(client: ApiClient, owner: Scope): Promise<ApiResponse>;
  targetId(owner: Scope): string;
}

const OBJECT_ROUTES: ObjectRoute[] = [
  { route: 'GET /v1/locations/{id}', table: 'locations', targetId: (o) => o.locationId, send: (c, o) => c.get(`/v1/locations/${o.locationId}`) },
  { route: 'PATCH /v1/locations/{id}', table: 'locations', targetId: (o) => o.locationId, send: (c, o) => c.patch(`/v1/locations/${o.locationId}`, { name: 'Renamed by another scope' }) },
  { route: 'POST /v1/locations/{id}/deactivate', table: 'locations', targetId: (o) => o.locationId, send: (c, o) => c.post(`/v1/locations/${o.locationId}/deactivate`) },
  { route: 'GET /v1/hosts/{id}', table: 'hosts', targetId: (o) => o.hostId, send: (c, o) => c.get(`/v1/hosts/${o.hostId}`) },
  { route: 'PATCH /v1/hosts/{id}', table: 'hosts', targetId: (o) => o.hostId, send: (c, o) => c.patch(`/v1/hosts/${o.hostId}`, { email: 'renamed@other.example' }) },
  { route: 'POST /v1/hosts/{id}/deactivate', table: 'hosts', targetId: (o) => o.hostId, send: (c, o) => c.post(`/v1/hosts/${o.hostId}/deactivate`) },
  { route: 'GET /v1/visits/{id}', table: 'visits', targetId: (o) => o.visitorVisitId, send: (c, o) => c.get(`/v1/visits/${o.visitorVisitId}`) },
  { route: 'PATCH /v1/visits/{id}', table: 'visits', targetId: (o) => o.driverVisitId, send: (c, o) => c.patch(`/v1/visits/${o.driverVisitId}`, { status: 'checked_out' }) },
];

// Caller and owner: another tenant in the same mode, and the other mode of the same tenant.
const FOREIGN_PAIRS: [ScopeName, ScopeName][] = [
  ['B live', 'A live'],
  ['B test', 'A test'],
  ['B live', 'A test'],
  ['A test', 'A live'],
  ['A live', 'A test'],
];

describe.each(FOREIGN_PAIRS)('%s on objects of %s', (callerName, ownerName) => {
  it.each(OBJECT_ROUTES)('$route returns 404', async ({ send, table, targetId }) => {
    const caller = scopes[callerName];
    const owner = scopes[ownerName];
    const before = await readRow(owner, table, targetId(owner));

    const response = await send(caller.client, owner);
    const after = await readRow(owner, table, targetId(owner));

    expect(response.status).toBe(404);
    expect(response.body.type).toBe('urn:visitorflow:problem:not-found');
    expect(JSON.stringify(response.body)).not.toContain(owner.marker);
    expect(after).toEqual(before);
  });
});

describe('shared ids across scopes', () => {
  it.each(['A live', 'A test', 'B live', 'B test'] as const)('%s retrieves own shared location', async (name) => {
    const response = await scopes[name].client.get(`/v1/locations/${SHARED_LOCATION_ID}`);

    expect(response.status).toBe(200);
    expect(response.body.name).toBe(`${scopes[name].marker} shared site`);
    expect(response.body.livemode).toBe(scopes[name].mode === 'live');
  });

  it.each(['A live', 'A test', 'B live', 'B test'] as const)('%s retrieves own shared host', async (name) => {
    const response = await scopes[name].client.get(`/v1/hosts/${SHARED_HOST_ID}`);

    expect(response.status).toBe(200);
    expect(response.body.name).toBe(`${scopes[name].marker} shared host`);
    expect(response.body.livemode).toBe(scopes[name].mode === 'live');
  });

  it('PATCH changes only caller row', async () => {
    const others = [scopes['A live'], scopes['A test'], scopes['B test']];
    const before = await Promise.all(others.map((scope) => readRow(scope, 'hosts', SHARED_HOST_ID)));

    const response = await scopes['B live'].client.patch(`/v1/hosts/${SHARED_HOST_ID}`, { phone: '+52 81 5555 0199' });
    const after = await Promise.all(others.map((scope) => readRow(scope, 'hosts', SHARED_HOST_ID)));

    expect(response.status).toBe(200);
    expect(response.body.phone).toBe('+52 81 5555 0199');
    expect(after).toEqual(before);
  });

  it('deactivate changes only caller row', async () => {
    const others = [scopes['A live'], scopes['B live'], scopes['B test']];
    const before = await Promise.all(others.map((scope) => readRow(scope, 'locations', SHARED_LOCATION_ID)));

    const response = await scopes['A test'].client.post(`/v1/locations/${SHARED_LOCATION_ID}/deactivate`);
    const after = await Promise.all(others.map((scope) => readRow(scope, 'locations', SHARED_LOCATION_ID)));
    await scopes['A test'].client.patch(`/v1/locations/${SHARED_LOCATION_ID}`, { active: true });

    expect(response.status).toBe(200);
    expect(response.body.active).toBe(false);
    expect(after).toEqual(before);
  });
});

describe.each(['A live', 'A test', 'B live', 'B test'] as const)('lists for %s', (name) => {
  it('GET /v1/locations shows own rows only', async () => {
    const scope = scopes[name];

    const response = await scope.client.get('/v1/locations?limit=100');
    const stored = await readAllRows(scope.tenantId, scope.mode, 'locations');

    expect(response.status).toBe(200);
    expect(response.body.data.map((l: { id: string }) => l.id).sort()).toEqual(stored.map((row) => row.id));
    expect(response.body.data.every((l: { name: string }) => l.name.startsWith(scope.marker))).toBe(true);
    expect(response.body.data.every((l: { livemode: boolean }) => l.livemode === (scope.mode === 'live'))).toBe(true);
  });

  it('GET /v1/hosts shows own rows only', async () => {
    const scope = scopes[name];

    const response = await scope.client.get('/v1/hosts?limit=100');
    const stored = await readAllRows(scope.tenantId, scope.mode, 'hosts');

    expect(response.status).toBe(200);
    expect(response.body.data.map((h: { id: string }) => h.id).sort()).toEqual(stored.map((row) => row.id));
    expect(response.body.data.every((h: { name: string }) => h.name.startsWith(scope.marker))).toBe(true);
    expect(response.body.data.every((h: { livemode: boolean }) => h.livemode === (scope.mode === 'live'))).toBe(true);
  });

  it('GET /v1/visits shows own rows only', async () => {
    const scope = scopes[name];

    const response = await scope.client.get('/v1/visits?limit=100');
    const stored = await readAllRows(scope.tenantId, scope.mode, 'visits');
    const ids = response.body.data.map((v: { id: string }) => v.id);

    expect(response.status).toBe(200);
    expect(ids.sort()).toEqual(stored.map((row) => row.id));
    expect(ids).toContain(scope.visitorVisitId);
    expect(ids).toContain(scope.driverVisitId);
    expect(response.body.data.every((v: { livemode: boolean }) => v.livemode === (scope.mode === 'live'))).toBe(true);
  });
});

describe.each(FOREIGN_PAIRS)('%s filtering by ids of %s', (callerName, ownerName) => {
  it('GET /v1/visits returns no rows', async () => {
    const owner = scopes[ownerName];

    const byLocation = await scopes[callerName].client.get(`/v1/visits?location_id=${owner.locationId}`);
    const byHost = await scopes[callerName].client.get(`/v1/visits?host_id=${owner.hostId}`);

    expect(byLocation.status).toBe(200);
    expect(byLocation.body.data).toEqual([]);
    expect(byHost.status).toBe(200);
    expect(byHost.body.data).toEqual([]);
  });

  it('GET /v1/hosts returns no rows', async () => {
    const response = await scopes[callerName].client.get(`/v1/hosts?location_id=${scopes[ownerName].locationId}`);

    expect(response.status).toBe(200);
    expect(response.body.data).toEqual([]);
  });
});

describe.each(FOREIGN_PAIRS)('%s referencing ids of %s', (callerName, ownerName) => {
  it('visitor visit with foreign host returns 400', async () => {
    const caller = scopes[callerName];
    const owner = scopes[ownerName];
    const visitsBefore = (await readAllRows(caller.tenantId, caller.mode, 'visits')).length;

    const response = await caller.client.post('/v1/visits', { ...REFERENCE_VISITOR_VISIT, host_id: owner.hostId, location_id: caller.locationId });
    const visitsAfter = (await readAllRows(caller.tenantId, caller.mode, 'visits')).length;

    expect(response.status).toBe(400);
    expect(response.body.issues.fieldErrors).toEqual({ host_id: [`No host with id "${owner.hostId}".`] });
    expect(visitsAfter).toBe(visitsBefore);
  });

  it('visitor visit at foreign location returns 400', async () => {
    const caller = scopes[callerName];
    const owner = scopes[ownerName];

    const response = await caller.client.post('/v1/visits', { ...REFERENCE_VISITOR_VISIT, host_id: caller.hostId, location_id: owner.locationId });

    expect(response.status).toBe(400);
    expect(response.body.issues.fieldErrors).toEqual({ location_id: [`No location with id "${owner.locationId}".`] });
  });

  it('driver visit at foreign location returns 400', async () => {
    const caller = scopes[callerName];
    const owner = scopes[ownerName];

    const response = await caller.client.post('/v1/visits', { ...REFERENCE_DRIVER_VISIT, location_id: owner.locationId });

    expect(response.status).toBe(400);
    expect(response.body.issues.fieldErrors).toEqual({ location_id: [`No location with id "${owner.locationId}".`] });
  });

  it('host at foreign location returns 400', async () => {
    const caller = scopes[callerName];
    const owner = scopes[ownerName];

    const response = await caller.client.post('/v1/hosts', { name: 'Cross Tenant', email: 'cross@acme.com', location_id: owner.locationId });

    expect(response.status).toBe(400);
    expect(response.body.issues.fieldErrors).toEqual({ location_id: [`No location with id "${owner.locationId}".`] });
  });

  it('moving host to foreign location returns 400', async () => {
    const caller = scopes[callerName];
    const owner = scopes[ownerName];
    const before = await readRow(caller, 'hosts', caller.hostId);

    const response = await caller.client.patch(`/v1/hosts/${caller.hostId}`, { location_id: owner.locationId });
    const after = await readRow(caller, 'hosts', caller.hostId);

    expect(response.status).toBe(400);
    expect(response.body.issues.fieldErrors).toEqual({ location_id: [`No location with id "${owner.locationId}".`] });
    expect(after).toEqual(before);
  });
});

// Every operation that needs an API key, with a request body that would pass validation.
const PROTECTED_ROUTES: [string, string, unknown?][] = [
  ['GET', '/v1/locations'],
  ['POST', '/v1/locations', { name: 'No key plant' }],
  ['GET', '/v1/locations/loc_a_live'],
  ['PATCH', '/v1/locations/loc_a_live', { name: 'No key' }],
  ['POST', '/v1/locations/loc_a_live/deactivate'],
  ['GET', '/v1/hosts'],
  ['POST', '/v1/hosts', { name: 'No Key', email: 'nokey@acme.com', location_id: 'loc_a_live' }],
  ['GET', '/v1/hosts/h_a_live'],
  ['PATCH', '/v1/hosts/h_a_live', { name: 'No Key' }],
  ['POST', '/v1/hosts/h_a_live/deactivate'],
  ['GET', '/v1/visits'],
  ['POST', '/v1/visits', REFERENCE_DRIVER_VISIT],
  ['GET', '/v1/visits/vis_doesnotexist'],
  ['PATCH', '/v1/visits/vis_doesnotexist', { status: 'checked_out' }],
];

describe('authentication', () => {
  it.each(PROTECTED_ROUTES)('%s %s without key returns 401', async (method, path, body) => {
    const response = await server.client().request(method, path, { body });

    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body.error).toBe('Bearer token missing or expired');
  });

  it.each([
    ['empty bearer', 'Bearer '],
    ['basic scheme', 'Basic dXNlcjpwYXNzd29yZA=='],
    ['unknown prefix', 'Bearer vfp_prod_abcdefghijklmnopqrstuvwxyz012345'],
    ['short secret', 'Bearer vfp_live_abc'],
    ['extra token', 'Bearer vfp_live_abcdefghijklmnopqrstuvwxyz012345 extra'],
    ['unknown key', 'Bearer vfp_live_abcdefghijklmnopqrstuvwxyz012345'],
  ])('rejects %s with 401', async (_case, authorization) => {
    const response = await server.client().get('/v1/locations', { authorization });

    expect(response.status).toBe(401);
    expect(response.body.error).toBe('Bearer token missing or expired');
  });

  it('rejects bare key without scheme', async () => {
    const response = await server.client().get('/v1/locations', { authorization: tenants.A.liveKey });

    expect(response.status).toBe(401);
  });

  it('rejects revoked key at once', async () => {
    const key = await createApiKey(server.runtime.db, tenants.A.tenantId, 'live', 'revoked in test');
    const client = server.client(key.secret);
    const beforeRevoke = await client.get('/v1/locations');

    const revoked = await revokeApiKey(server.runtime.db, key.id);
    const afterRevoke = await client.get('/v1/locations');
    const otherKey = await scopes['A live'].client.get('/v1/locations');

    expect(beforeRevoke.status).toBe(200);
    expect(revoked).toBe(true);
    expect(afterRevoke.status).toBe(401);
    expect(afterRevoke.body.error).toBe('Bearer token missing or expired');
    expect(otherKey.status).toBe(200);
  });
});

describe('public and unknown routes', () => {
  it('serves /healthz without key', async () => {
    const response = await server.client().get('/healthz');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('serves /readyz without key', async () => {
    const response = await server.client().get('/readyz');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: { database: 'ok', redis: 'not_configured' } });
  });

  it('serves /v1/openapi.json without key', async () => {
    const response = await server.client().get('/v1/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(Object.keys(response.body.paths)).toContain('/v1/visits');
  });

  it.each([
    ['with key', () => scopes['A live'].client],
    ['without key', () => server.client()],
  ])('unknown route returns 404 %s', async (_case, client) => {
    const response = await client().get('/v1/gates');

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body.status).toBe(404);
    expect(response.body.error).toBe('Not found');
  });

  it.each([
    ['DELETE', '/v1/visits', ['GET', 'POST']],
    ['PUT', '/v1/locations/loc_a_live', ['GET', 'PATCH']],
    ['DELETE', '/v1/hosts/h_a_live', ['GET', 'PATCH']],
    ['GET', '/v1/locations/loc_a_live/deactivate', ['POST']],
  ])('%s %s returns 405', async (method, path, allowed) => {
    const response = await scopes['A live'].client.request(method, path);
    const allow = (response.headers.get('allow') ?? '').split(',').map((m) => m.trim()).sort();

    expect(response.status).toBe(405);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(allow).toEqual(allowed);
  });
});

describe('x-request-id', () => {
  it.each([
    ['200', () => scopes['A live'].client.get('/v1/locations')],
    ['201', () => scopes['A live'].client.post('/v1/locations', { name: 'Request id plant' })],
    ['400', () => scopes['A live'].client.get('/v1/visits?limit=0')],
    ['malformed JSON', () => scopes['A live'].client.request('POST', '/v1/visits', { raw: '{"type":' })],
    ['415', () => scopes['A live'].client.request('POST', '/v1/visits', { raw: 'type=visitor', headers: { 'content-type': 'application/x-www-form-urlencoded' } })],
    ['401', () => server.client().get('/v1/visits')],
    ['404', () => scopes['A live'].client.get('/v1/visits/vis_doesnotexist')],
    ['404 route', () => server.client().get('/v1/gates')],
    ['405', () => scopes['A live'].client.request('DELETE', '/v1/visits')],
    ['public', () => server.client().get('/healthz')],
  ])('present on %s response', async (_case, send) => {
    const response = await send();

    expect(response.headers.get('x-request-id')).toMatch(/^req_[a-z0-9]{20}$/);
  });

  it('matches request_id in problem body', async () => {
    const response = await server.client().get('/v1/visits');

    expect(response.body.request_id).toBe(response.headers.get('x-request-id'));
  });

  it('differs between requests', async () => {
    const first = await server.client().get('/healthz');
    const second = await server.client().get('/healthz');

    expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'));
  });

  it('echoes valid incoming id', async () => {
    const response = await scopes['A live'].client.get('/v1/locations', { 'x-request-id': 'trace-12345678' });

    expect(response.headers.get('x-request-id')).toBe('trace-12345678');
  });

  it('echoes incoming id on problem', async () => {
    const response = await server.client().get('/v1/visits', { 'x-request-id': 'trace-12345678' });

    expect(response.headers.get('x-request-id')).toBe('trace-12345678');
    expect(response.body.request_id).toBe('trace-12345678');
  });

  it.each([
    ['too short', 'abc'],
    ['with spaces', 'trace 12345678'],
    ['with newline escape', 'trace%0Aforged-line'],
    ['too long', 'x'.repeat(129)],
  ])('replaces incoming id %s', async (_case, incoming) => {
    const response = await server.client().get('/healthz', { 'x-request-id': incoming });

    expect(response.headers.get('x-request-id')).toMatch(/^req_[a-z0-9]{20}$/);
  });
});
