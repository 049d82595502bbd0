import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ApiClient } from './support/client';
import { startTestServer, type TestServer } from './support/server';
import { makeTenant, REFERENCE_DRIVER_VISIT, REFERENCE_VISITOR_VISIT, seedReferenceDirectory } from './support/tenants';

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  const tenant = await makeTenant(server.runtime.db, 'locations-hosts');
  api = server.client(tenant.testKey);
  await seedReferenceDirectory(api);
});

afterAll(async () => {
  await server?.close();
});

let sequence = 0;

/** Returns a caller-chosen id that no other test in this file uses, such as `loc_case_3`. */
function uniqueId(prefix: 'loc' | 'h'): string {
  sequence += 1;
  return `${prefix}_case_${sequence}`;
}

/** Creates a location through the API and fails the test unless the server returns 201. */
async function createLocation(client: ApiClient, fields: Record<string, unknown> = {}) {
  const response = await client.post('/v1/locations', { name: 'Saltillo Warehouse', ...fields });
  if (response.status !== 201) throw new Error(`Creating a location failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Creates a host through the API and fails the test unless the server returns 201. */
async function createHost(client: ApiClient, fields: Record<string, unknown> = {}) {
  const response = await client.post('/v1/hosts', { name: 'Diego Salinas', email: 'diego@acme.com', location_id: 'loc_mty_01', ...fields });
  if (response.status !== 201) throw new Error(`Creating a host failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Returns the ids of `rows` in list order: newest `created_at` first, then the larger id first. */
function newestFirst(rows: { id: string; created_at: string }[]): string[] {
  const sorted = [...rows].sort((a, b) => {
    const byTime = Date.parse(b.created_at) - Date.parse(a.created_at);
    if (byTime !== 0) return byTime;
    if (a.id === b.id) return 0;
    return a.id < b.id ? 1 : -1;
  });
  return sorted.map((row) => row.id);
}

/** Reads every page of `path`, `limit` rows at a time, and returns the pages in order. */
async function readAllPages(client: ApiClient, path: string, limit: number) {
  const pages: { data: { id: string }[]; next_cursor: string | null }[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const query = `${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await client.get(`${path}${query}`);
    if (response.status !== 200) throw new Error(`Reading ${path} failed: ${response.status} ${JSON.stringify(response.body)}`);
    pages.push(response.body);
    cursor = response.body.next_cursor;
  } while (cursor !== null && pages.length < 50);
  return pages;
}

describe('POST /v1/locations', () => {
  it('creates location with caller id', async () => {
    const response = await api.post('/v1/locations', {
      id: 'loc_gdl_02',
      name: 'Guadalajara Plant 2',
      address: 'Av. Vallarta 6503, Zapopan',
      timezone: 'America/Mexico_City',
      locale: 'es-MX',
    });

    expect(response.status).toBe(201);
    expect(response.body.id).toBe('loc_gdl_02');
    expect(response.body.name).toBe('Guadalajara Plant 2');
    expect(response.body.address).toBe('Av. Vallarta 6503, Zapopan');
    expect(response.body.timezone).toBe('America/Mexico_City');
    expect(response.body.locale).toBe('es-MX');
    expect(response.body.active).toBe(true);
    expect(response.body.livemode).toBe(false);
    expect(response.body.updated_at).toBe(response.body.created_at);
  });

  it('generates id when none given', async () => {
    const response = await api.post('/v1/locations', { name: 'Apodaca Yard' });

    expect(response.status).toBe(201);
    expect(response.body.id).toMatch(/^loc_[a-z0-9]{20}$/);
    expect(response.body.timezone).toBe('UTC');
    expect(response.body.locale).toBe('en');
    expect(response.body.address).toBeNull();
  });

  it('returns 409 for duplicate id', async () => {
    const response = await api.post('/v1/locations', { id: 'loc_mty_01', name: 'Another plant' });
    const original = await api.get('/v1/locations/loc_mty_01');

    expect(response.status).toBe(409);
    expect(response.body.detail).toContain('loc_mty_01');
    expect(original.body.name).toBe('Monterrey Plant 1');
  });

  it.each(['h_98412', 'mty_01', 'loc_', 'LOC_mty_01', 'loc_mty 01'])('rejects id %j naming id', async (id) => {
    const response = await api.post('/v1/locations', { id, name: 'Bad id plant' });

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toEqual(['id']);
  });

  it('rejects unknown time zone naming timezone', async () => {
    const response = await api.post('/v1/locations', { name: 'Nowhere', timezone: 'Mars/Olympus_Mons' });

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toEqual(['timezone']);
    expect(response.body.issues.fieldErrors.timezone[0]).toContain('Mars/Olympus_Mons');
  });

  it('stores nothing for rejected time zone', async () => {
    const id = uniqueId('loc');

    await api.post('/v1/locations', { id, name: 'Nowhere', timezone: 'Mars/Olympus_Mons' });
    const response = await api.get(`/v1/locations/${id}`);

    expect(response.status).toBe(404);
  });
});

describe('GET /v1/locations/{id}', () => {
  it('retrieves location by id', async () => {
    const created = await createLocation(api, { id: uniqueId('loc'), address: 'Carretera a Laredo km 12' });

    const response = await api.get(`/v1/locations/${created.id}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(created);
  });

  it('returns 404 for unknown location', async () => {
    const response = await api.get('/v1/locations/loc_missing');

    expect(response.status).toBe(404);
    expect(response.body.detail).toContain('loc_missing');
  });

  it('rejects host id in location path', async () => {
    const response = await api.get('/v1/locations/h_98412');

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toEqual(['id']);
  });
});

describe('PATCH /v1/locations/{id}', () => {
  it('changes only given fields', async () => {
    const created = await createLocation(api, { id: uniqueId('loc'), address: 'Calle 5 #100', timezone: 'America/Monterrey', locale: 'es-MX' });

    const response = await api.patch(`/v1/locations/${created.id}`, { name: 'Saltillo Warehouse (North gate)' });
    const stored = await api.get(`/v1/locations/${created.id}`);

    expect(response.status).toBe(200);
    expect(response.body.name).toBe('Saltillo Warehouse (North gate)');
    expect(response.body.address).toBe('Calle 5 #100');
    expect(response.body.timezone).toBe('America/Monterrey');
    expect(response.body.locale).toBe('es-MX');
    expect(response.body.active).toBe(true);
    expect(response.body.created_at).toBe(created.created_at);
    expect(Date.parse(response.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(created.updated_at));
    expect(stored.body).toEqual(response.body);
  });

  it('clears address with null', async () => {
    const created = await createLocation(api, { id: uniqueId('loc'), address: 'Calle 5 #100' });

    const response = await api.patch(`/v1/locations/${created.id}`, { address: null });

    expect(response.status).toBe(200);
    expect(response.body.address).toBeNull();
    expect(response.body.name).toBe(created.name);
  });

  it('rejects empty body', async () => {
    const created = await createLocation(api, { id: uniqueId('loc') });

    const response = await api.patch(`/v1/locations/${created.id}`, {});

    expect(response.status).toBe(400);
    expect(response.body.issues.fieldErrors).toBeTypeOf('object');
  });

  it('rejects changing id', async () => {
    const created = await createLocation(api, { id: uniqueId('loc') });

    const response = await api.patch(`/v1/locations/${created.id}`, { id: 'loc_renamed' });

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toContain('id');
  });

  it('rejects unknown time zone naming timezone', async () => {
    const created = await createLocation(api, { id: uniqueId('loc') });

    const response = await api.patch(`/v1/locations/${created.id}`, { timezone: 'America/Atlantis' });
    const stored = await api.get(`/v1/locations/${created.id}`);

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toEqual(['timezone']);
    expect(stored.body.timezone).toBe('UTC');
  });

  it('returns 404 for unknown location', async () => {
    const response = await api.patch('/v1/locations/loc_missing', { name: 'Ghost plant' });

    expect(response.status).toBe(404);
  });

  it('reactivates with active true', async () => {
    const created = await createLocation(api, { id: uniqueId('loc') });
    await api.post(`/v1/locations/${created.id}/deactivate`);

    const response = await api.patch(`/v1/locations/${created.id}`, { active: true });

    expect(response.status).toBe(200);
    expect(response.body.active).toBe(true);
  });
});

describe('POST /v1/locations/{id}/deactivate', () => {
  it('deactivates location idempotently', async () => {
    const created = await createLocation(api, { id: uniqueId('loc') });

    const first = await api.post(`/v1/locations/${created.id}/deactivate`);
    const second = await api.post(`/v1/locations/${created.id}/deactivate`);
    const stored = await api.get(`/v1/locations/${created.id}`);

    expect(first.status).toBe(200);
    expect(first.body.active).toBe(false);
    expect(second.status).toBe(200);
    expect(second.body.active).toBe(false);
    expect(stored.body.active).toBe(false);
    expect(stored.body.name).toBe(created.name);
  });

  it('returns 404 for unknown location', async () => {
    const response = await api.post('/v1/locations/loc_missing/deactivate');

    expect(response.status).toBe(404);
  });
});

describe('GET /v1/locations', () => {
  it('filters by active flag', async () => {
    const active = await createLocation(api, { id: uniqueId('loc') });
    const inactive = await createLocation(api, { id: uniqueId('loc') });
    await api.post(`/v1/locations/${inactive.id}/deactivate`);

    const onlyActive = (await api.get('/v1/locations?active=true&limit=100')).body.data;
    const onlyInactive = (await api.get('/v1/locations?active=false&limit=100')).body.data;
    const activeIds = onlyActive.map((l: { id: string }) => l.id);
    const inactiveIds = onlyInactive.map((l: { id: string }) => l.id);

    expect(activeIds).toContain(active.id);
    expect(activeIds).not.toContain(inactive.id);
    expect(inactiveIds).toContain(inactive.id);
    expect(inactiveIds).not.toContain(active.id);
    expect(onlyActive.every((l: { active: boolean }) => l.active)).toBe(true);
    expect(onlyInactive.every((l: { active: boolean }) => !l.active)).toBe(true);
  });

  it('pages with limit and cursor', async () => {
    const tenant = await makeTenant(server.runtime.db, 'locations-paging');
    const client = server.client(tenant.testKey);
    const created = [];
    for (let i = 0; i < 5; i += 1) created.push(await createLocation(client, { name: `Site ${i}` }));

    const pages = await readAllPages(client, '/v1/locations', 2);

    expect(pages.map((page) => page.data.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((page) => page.data.map((l) => l.id))).toEqual(newestFirst(created));
    expect(pages.at(-1)?.next_cursor).toBeNull();
  });

  it('omits empty trailing page', async () => {
    const tenant = await makeTenant(server.runtime.db, 'locations-exact-pages');
    const client = server.client(tenant.testKey);
    for (let i = 0; i < 4; i += 1) await createLocation(client, { name: `Site ${i}` });

    const pages = await readAllPages(client, '/v1/locations', 2);

    expect(pages.map((page) => page.data.length)).toEqual([2, 2]);
    expect(pages[1]?.next_cursor).toBeNull();
  });
});

describe('POST /v1/hosts', () => {
  it('creates host with caller id', async () => {
    const response = await api.post('/v1/hosts', {
      id: 'h_10001',
      name: 'Ana Treviño',
      email: 'ana.trevino@acme.com',
      location_id: 'loc_mty_01',
      phone: '+52 81 5555 0101',
    });

    expect(response.status).toBe(201);
    expect(response.body.id).toBe('h_10001');
    expect(response.body.name).toBe('Ana Treviño');
    expect(response.body.email).toBe('ana.trevino@acme.com');
    expect(response.body.location_id).toBe('loc_mty_01');
    expect(response.body.phone).toBe('+52 81 5555 0101');
    expect(response.body.active).toBe(true);
    expect(response.body.livemode).toBe(false);
  });

  it('generates id when none given', async () => {
    const response = await api.post('/v1/hosts', { name: 'Luis Ortega', email: 'luis@acme.com', location_id: 'loc_mty_01' });

    expect(response.status).toBe(201);
    expect(response.body.id).toMatch(/^h_[a-z0-9]{20}$/);
    expect(response.body.phone).toBeNull();
  });

  it('returns 409 for duplicate id', async () => {
    const response = await api.post('/v1/hosts', { id: 'h_98412', name: 'Someone Else', email: 'else@acme.com', location_id: 'loc_mty_01' });
    const original = await api.get('/v1/hosts/h_98412');

    expect(response.status).toBe(409);
    expect(response.body.detail).toContain('h_98412');
    expect(original.body.name).toBe('Laura Garza');
  });

  it.each(['loc_98412', '98412', 'h_', 'H_98412', 'host_98412'])('rejects id %j naming id', async (id) => {
    const response = await api.post('/v1/hosts', { id, name: 'Bad Id', email: 'bad@acme.com', location_id: 'loc_mty_01' });

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toEqual(['id']);
  });

  it('rejects unknown location naming location_id', async () => {
    const response = await api.post('/v1/hosts', { name: 'Nobody', email: 'nobody@acme.com', location_id: 'loc_missing' });

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toEqual(['location_id']);
    expect(response.body.issues.fieldErrors.location_id[0]).toContain('loc_missing');
  });

  it('rejects deactivated location naming location_id', async () => {
    const location = await createLocation(api, { id: uniqueId('loc') });
    await api.post(`/v1/locations/${location.id}/deactivate`);

    const response = await api.post('/v1/hosts', { name: 'Late Hire', email: 'late@acme.com', location_id: location.id });

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toEqual(['location_id']);
    expect(response.body.issues.fieldErrors.location_id[0]).toMatch(/deactivated/);
  });
});

describe('live and test data', () => {
  it('allows same ids in both modes', async () => {
    const tenant = await makeTenant(server.runtime.db, 'same-ids-both-modes');
    const test = server.client(tenant.testKey);
    const live = server.client(tenant.liveKey);

    await seedReferenceDirectory(test);
    const liveLocation = await live.post('/v1/locations', { id: 'loc_mty_01', name: 'Monterrey Plant 1 (live)' });
    const liveHost = await live.post('/v1/hosts', { id: 'h_98412', name: 'Laura Garza (live)', email: 'laura@acme.com', location_id: 'loc_mty_01' });
    const testLocation = await test.get('/v1/locations/loc_mty_01');
    const testHost = await test.get('/v1/hosts/h_98412');

    expect(liveLocation.status).toBe(201);
    expect(liveLocation.body.livemode).toBe(true);
    expect(liveHost.status).toBe(201);
    expect(liveHost.body.livemode).toBe(true);
    expect(testLocation.body.name).toBe('Monterrey Plant 1');
    expect(testLocation.body.livemode).toBe(false);
    expect(testHost.body.name).toBe('Laura Garza');
    expect(testHost.body.livemode).toBe(false);
  });
});

describe('GET /v1/hosts/{id}', () => {
  it('retrieves host by id', async () => {
    const created = await createHost(api, { id: uniqueId('h'), phone: '+52 81 5555 0102' });

    const response = await api.get(`/v1/hosts/${created.id}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(created);
  });

  it('returns 404 for unknown host', async () => {
    const response = await api.get('/v1/hosts/h_missing');

    expect(response.status).toBe(404);
    expect(response.body.detail).toContain('h_missing');
  });
});

describe('PATCH /v1/hosts/{id}', () => {
  it('changes only given fields', async () => {
    const created = await createHost(api, { id: uniqueId('h'), phone: '+52 81 5555 0103' });

    const response = await api.patch(`/v1/hosts/${created.id}`, { email: 'diego.salinas@acme.mx' });
    const stored = await api.get(`/v1/hosts/${created.id}`);

    expect(response.status).toBe(200);
    expect(response.body.email).toBe('diego.salinas@acme.mx');
    expect(response.body.name).toBe(created.name);
    expect(response.body.phone).toBe('+52 81 5555 0103');
    expect(response.body.location_id).toBe('loc_mty_01');
    expect(response.body.active).toBe(true);
    expect(response.body.created_at).toBe(created.created_at);
    expect(stored.body).toEqual(response.body);
  });

  it('moves host to active location', async () => {
    const location = await createLocation(api, { id: uniqueId('loc') });
    const created = await createHost(api, { id: uniqueId('h') });

    const response = await api.patch(`/v1/hosts/${created.id}`, { location_id: location.id });

    expect(response.status).toBe(200);
    expect(response.body.location_id).toBe(location.id);
  });

  it('rejects deactivated location naming location_id', async () => {
    const location = await createLocation(api, { id: uniqueId('loc') });
    await api.post(`/v1/locations/${location.id}/deactivate`);
    const created = await createHost(api, { id: uniqueId('h') });

    const response = await api.patch(`/v1/hosts/${created.id}`, { location_id: location.id });
    const stored = await api.get(`/v1/hosts/${created.id}`);

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toEqual(['location_id']);
    expect(stored.body.location_id).toBe('loc_mty_01');
  });

  it('rejects unknown location naming location_id', async () => {
    const created = await createHost(api, { id: uniqueId('h') });

    const response = await api.patch(`/v1/hosts/${created.id}`, { location_id: 'loc_missing' });

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toEqual(['location_id']);
  });

  it('rejects empty body', async () => {
    const created = await createHost(api, { id: uniqueId('h') });

    const response = await api.patch(`/v1/hosts/${created.id}`, {});

    expect(response.status).toBe(400);
    expect(response.body.issues.fieldErrors).toBeTypeOf('object');
  });

  it('clears phone with null', async () => {
    const created = await createHost(api, { id: uniqueId('h'), phone: '+52 81 5555 0104' });

    const response = await api.patch(`/v1/hosts/${created.id}`, { phone: null });

    expect(response.status).toBe(200);
    expect(response.body.phone).toBeNull();
  });

  it('returns 404 for unknown host', async () => {
    const response = await api.patch('/v1/hosts/h_missing', { name: 'Ghost' });

    expect(response.status).toBe(404);
  });

  it('reactivates with active true', async () => {
    const created = await createHost(api, { id: uniqueId('h') });
    await api.post(`/v1/hosts/${created.id}/deactivate`);

    const response = await api.patch(`/v1/hosts/${created.id}`, { active: true });

    expect(response.status).toBe(200);
    expect(response.body.active).toBe(true);
  });
});

describe('POST /v1/hosts/{id}/deactivate', () => {
  it('deactivates host idempotently', async () => {
    const created = await createHost(api, { id: uniqueId('h') });

    const first = await api.post(`/v1/hosts/${created.id}/deactivate`);
    const second = await api.post(`/v1/hosts/${created.id}/deactivate`);
    const stored = await api.get(`/v1/hosts/${created.id}`);

    expect(first.status).toBe(200);
    expect(first.body.active).toBe(false);
    expect(second.status).toBe(200);
    expect(second.body.active).toBe(false);
    expect(stored.body.active).toBe(false);
  });

  it('returns 404 for unknown host', async () => {
    const response = await api.post('/v1/hosts/h_missing/deactivate');

    expect(response.status).toBe(404);
  });
});

describe('GET /v1/hosts', () => {
  it('filters by active flag', async () => {
    const active = await createHost(api, { id: uniqueId('h') });
    const inactive = await createHost(api, { id: uniqueId('h') });
    await api.post(`/v1/hosts/${inactive.id}/deactivate`);

    const onlyActive = (await api.get('/v1/hosts?active=true&limit=100')).body.data;
    const onlyInactive = (await api.get('/v1/hosts?active=false&limit=100')).body.data;
    const activeIds = onlyActive.map((h: { id: string }) => h.id);
    const inactiveIds = onlyInactive.map((h: { id: string }) => h.id);

    expect(activeIds).toContain(active.id);
    expect(activeIds).not.toContain(inactive.id);
    expect(inactiveIds).toContain(inactive.id);
    expect(inactiveIds).not.toContain(active.id);
    expect(onlyActive.every((h: { active: boolean }) => h.active)).toBe(true);
    expect(onlyInactive.every((h: { active: boolean }) => !h.active)).toBe(true);
  });

  it('filters by location', async () => {
    const location = await createLocation(api, { id: uniqueId('loc') });
    const hostAtLocation = await createHost(api, { id: uniqueId('h'), location_id: location.id });
    await createHost(api, { id: uniqueId('h') });

    const response = await api.get(`/v1/hosts?location_id=${location.id}`);

    expect(response.status).toBe(200);
    expect(response.body.data.map((h: { id: string }) => h.id)).toEqual([hostAtLocation.id]);
  });

  it('pages with limit and cursor', async () => {
    const tenant = await makeTenant(server.runtime.db, 'hosts-paging');
    const client = server.client(tenant.testKey);
    await seedReferenceDirectory(client);
    const created = [(await client.get('/v1/hosts/h_98412')).body];
    for (let i = 0; i < 4; i += 1) created.push(await createHost(client, { email: `host${i}@acme.com` }));

    const pages = await readAllPages(client, '/v1/hosts', 2);

    expect(pages.map((page) => page.data.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((page) => page.data.map((h) => h.id))).toEqual(newestFirst(created));
    expect(pages.at(-1)?.next_cursor).toBeNull();
  });
});

describe('visits and deactivated directory entries', () => {
  it('rejects visit for deactivated host', async () => {
    const host = await createHost(api, { id: uniqueId('h') });
    await api.post(`/v1/hosts/${host.id}/deactivate`);

    const response = await api.post('/v1/visits', { ...REFERENCE_VISITOR_VISIT, host_id: host.id });

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toEqual(['host_id']);
    expect(response.body.issues.fieldErrors.host_id[0]).toMatch(/deactivated/);
  });

  it.each([
    ['visitor', REFERENCE_VISITOR_VISIT],
    ['driver', REFERENCE_DRIVER_VISIT],
  ])('rejects %s visit at deactivated location', async (_type, visit) => {
    const location = await createLocation(api, { id: uniqueId('loc') });
    await api.post(`/v1/locations/${location.id}/deactivate`);

    const response = await api.post('/v1/visits', { ...visit, location_id: location.id });

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toEqual(['location_id']);
    expect(response.body.issues.fieldErrors.location_id[0]).toMatch(/deactivated/);
  });

  it('accepts visits after reactivation', async () => {
    const location = await createLocation(api, { id: uniqueId('loc') });
    const host = await createHost(api, { id: uniqueId('h'), location_id: location.id });
    await api.post(`/v1/hosts/${host.id}/deactivate`);
    await api.post(`/v1/locations/${location.id}/deactivate`);
    await api.patch(`/v1/locations/${location.id}`, { active: true });
    await api.patch(`/v1/hosts/${host.id}`, { active: true });

    const response = await api.post('/v1/visits', { ...REFERENCE_VISITOR_VISIT, host_id: host.id, location_id: location.id });

    expect(response.status).toBe(201);
    expect(response.body.host_id).toBe(host.id);
  });

  it('keeps past visits readable', async () => {
    const location = await createLocation(api, { id: uniqueId('loc') });
    const host = await createHost(api, { id: uniqueId('h'), location_id: location.id });
    const visit = await api.post('/v1/visits', { ...REFERENCE_VISITOR_VISIT, host_id: host.id, location_id: location.id });
    await api.post(`/v1/hosts/${host.id}/deactivate`);
    await api.post(`/v1/locations/${location.id}/deactivate`);

    const response = await api.get(`/v1/visits/${visit.body.id}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(visit.body);
  });
});

describe('location time zone', () => {
  it('stores the canonical IANA name', async () => {
    const server = await startTestServer();
    try {
      const tenant = await makeTenant(server.runtime.db, 'time zones');
      const api = server.client(tenant.testKey);

      const created = await api.post('/v1/locations', { name: 'Lower-case zone', timezone: 'america/monterrey' });
      const updated = await api.patch(`/v1/locations/${created.body.id}`, { timezone: 'europe/madrid' });

      expect(created.body.timezone).toBe('America/Monterrey');
      expect(updated.body.timezone).toBe('Europe/Madrid');
    } finally {
      await server.close();
    }
  });
});
