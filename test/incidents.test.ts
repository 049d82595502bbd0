import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ApiClient } from './support/client';
import { startTestServer, type TestServer } from './support/server';
import { makeTenant, REFERENCE_VISITOR_VISIT, seedReferenceDirectory, type TestTenant } from './support/tenants';

let server: TestServer;
let tenant: TestTenant;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  tenant = await makeTenant(server.runtime.db, 'incidents');
  api = server.client(tenant.testKey);
  await seedReferenceDirectory(api);
});

afterAll(async () => {
  await server?.close();
});

const REFERENCE_INCIDENT = { id: 'inc_xy12', severity: 'low', type: 'tailgating', summary: 'Visitor entered without badge scan' };

function eventsAbout(incidentId: string) {
  return server.runtime.db
    .selectFrom('events')
    .selectAll()
    .where('tenant_id', '=', tenant.tenantId)
    .where('mode', '=', 'test')
    .where(sql<boolean>`data->'object'->>'id' = ${incidentId}`)
    .orderBy('created_at')
    .execute();
}

describe('incidents', () => {
  it('lists the reference example inside the data array', async () => {
    const created = await api.post('/v1/incidents', REFERENCE_INCIDENT);
    const list = await api.get('/v1/incidents?status=open');

    expect(created.status).toBe(201);
    expect(list.status).toBe(200);
    expect(list.body.next_cursor).toBeNull();
    expect(list.body.data).toContainEqual(expect.objectContaining({ ...REFERENCE_INCIDENT, status: 'open' }));
  });

  it('creates an incident with defaults and records incident.created', async () => {
    const before = Date.now();
    const response = await api.post('/v1/incidents', { type: 'safety', severity: 'high', summary: 'Forklift near pedestrians', location_id: 'loc_mty_01' });
    const events = await eventsAbout(response.body.id);

    expect(response.status).toBe(201);
    expect(response.body.id).toMatch(/^inc_[a-z0-9]{20}$/);
    expect(response.body).toMatchObject({ status: 'open', visit_id: null, location_id: 'loc_mty_01', resolution_notes: null, assignee: null, closed_at: null, livemode: false });
    expect(Date.parse(response.body.occurred_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(events.map((event) => event.type)).toEqual(['incident.created']);
    expect(events[0]!.data.object).toEqual(response.body);
  });

  it('takes the location of the visit it names', async () => {
    const visit = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);
    const response = await api.post('/v1/incidents', { type: 'badge_misuse', severity: 'medium', summary: 'Badge lent to a colleague', visit_id: visit.body.id, occurred_at: '2026-01-15T10:00:00Z' });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ visit_id: visit.body.id, location_id: 'loc_mty_01', occurred_at: '2026-01-15T10:00:00.000Z' });
  });

  it.each([
    ['an unknown type', { ...REFERENCE_INCIDENT, id: undefined, type: 'fire' }, 'type'],
    ['an unknown severity', { ...REFERENCE_INCIDENT, id: undefined, severity: 'urgent' }, 'severity'],
    ['an empty summary', { ...REFERENCE_INCIDENT, id: undefined, summary: '' }, 'summary'],
    ['a missing summary', { type: 'other', severity: 'low' }, 'summary'],
    ['an unknown visit', { type: 'other', severity: 'low', summary: 'x', visit_id: 'vis_missing' }, 'visit_id'],
    ['an unknown location', { type: 'other', severity: 'low', summary: 'x', location_id: 'loc_missing' }, 'location_id'],
    ['a future occurred_at', { type: 'other', severity: 'low', summary: 'x', occurred_at: '2999-01-01T00:00:00Z' }, 'occurred_at'],
    ['an invalid id', { type: 'other', severity: 'low', summary: 'x', id: 'incident-1' }, 'id'],
    ['an unknown field', { type: 'other', severity: 'low', summary: 'x', color: 'red' }, 'color'],
  ])('rejects %s with 400 naming the field, and records nothing', async (_case, body, field) => {
    const before = await server.runtime.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenant.tenantId).executeTakeFirstOrThrow();

    const response = await api.post('/v1/incidents', body);
    const after = await server.runtime.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenant.tenantId).executeTakeFirstOrThrow();

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toContain(field);
    expect(after.n).toBe(before.n);
  });

  it('rejects a visit at another location than location_id', async () => {
    await api.post('/v1/locations', { id: 'loc_other', name: 'Other site' });
    const visit = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);

    const response = await api.post('/v1/incidents', { type: 'other', severity: 'low', summary: 'x', visit_id: visit.body.id, location_id: 'loc_other' });

    expect(response.status).toBe(400);
    expect(response.body.issues.fieldErrors.location_id[0]).toContain('loc_mty_01');
  });

  it('answers 409 for a duplicate id', async () => {
    await api.post('/v1/incidents', { ...REFERENCE_INCIDENT, id: 'inc_dup' });
    const again = await api.post('/v1/incidents', { ...REFERENCE_INCIDENT, id: 'inc_dup' });

    expect(again.status).toBe(409);
  });

  it('moves through investigating to resolved and records incident.updated', async () => {
    const created = await api.post('/v1/incidents', { type: 'denied_entry', severity: 'medium', summary: 'Expired ID' });
    const id = created.body.id as string;

    const investigating = await api.patch(`/v1/incidents/${id}`, { status: 'investigating', assignee: 'laura.garza@acme.com' });
    const resolved = await api.patch(`/v1/incidents/${id}`, { status: 'resolved', resolution_notes: 'Visitor renewed the ID.' });
    const events = await eventsAbout(id);

    expect(investigating.status).toBe(200);
    expect(investigating.body).toMatchObject({ status: 'investigating', assignee: 'laura.garza@acme.com', closed_at: null });
    expect(resolved.body).toMatchObject({ status: 'resolved', resolution_notes: 'Visitor renewed the ID.', assignee: 'laura.garza@acme.com' });
    expect(resolved.body.closed_at).toEqual(resolved.body.updated_at);
    expect(events.map((event) => event.type)).toEqual(['incident.created', 'incident.updated', 'incident.updated']);
    expect(events[2]!.data.object).toEqual(resolved.body);
  });

  it.each([
    ['resolved', 'open'],
    ['resolved', 'investigating'],
    ['dismissed', 'resolved'],
    ['investigating', 'open'],
  ])('rejects moving from %s to %s with 409', async (from, to) => {
    const created = await api.post('/v1/incidents', { type: 'other', severity: 'low', summary: `${from} to ${to}` });
    if (from !== 'open') await api.patch(`/v1/incidents/${created.body.id}`, { status: from });

    const response = await api.patch(`/v1/incidents/${created.body.id}`, { status: to });
    const stored = await api.get(`/v1/incidents/${created.body.id}`);

    expect(response.status).toBe(409);
    expect(response.body.detail).toContain(`is ${from}`);
    expect(stored.body.status).toBe(from);
  });

  it('records no event for a patch that changes nothing', async () => {
    const created = await api.post('/v1/incidents', { type: 'other', severity: 'low', summary: 'Unchanged' });

    const response = await api.patch(`/v1/incidents/${created.body.id}`, { status: 'open', assignee: null });
    const events = await eventsAbout(created.body.id);

    expect(response.status).toBe(200);
    expect(response.body.updated_at).toBe(created.body.updated_at);
    expect(events.map((event) => event.type)).toEqual(['incident.created']);
  });

  it('rejects an empty patch', async () => {
    const created = await api.post('/v1/incidents', { type: 'other', severity: 'low', summary: 'Empty patch' });

    const response = await api.patch(`/v1/incidents/${created.body.id}`, {});

    expect(response.status).toBe(400);
  });

  it('filters by severity, type, location and visit', async () => {
    const visit = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);
    const critical = await api.post('/v1/incidents', { type: 'hazmat', severity: 'critical', summary: 'Leak', visit_id: visit.body.id });
    await api.post('/v1/incidents', { type: 'property_damage', severity: 'low', summary: 'Scratched gate', location_id: 'loc_mty_01' });

    const bySeverity = await api.get('/v1/incidents?severity=critical');
    const byType = await api.get('/v1/incidents?type=hazmat');
    const byVisit = await api.get(`/v1/incidents?visit_id=${visit.body.id}`);
    const byLocation = await api.get('/v1/incidents?location_id=loc_mty_01&type=property_damage');

    expect(bySeverity.body.data.map((i: { id: string }) => i.id)).toEqual([critical.body.id]);
    expect(byType.body.data.map((i: { id: string }) => i.id)).toEqual([critical.body.id]);
    expect(byVisit.body.data.map((i: { id: string }) => i.id)).toEqual([critical.body.id]);
    expect(byLocation.body.data.every((i: { type: string; location_id: string }) => i.type === 'property_damage' && i.location_id === 'loc_mty_01')).toBe(true);
  });

  it('pages newest first with a cursor', async () => {
    const client = server.client((await makeTenant(server.runtime.db, 'incident pages')).testKey);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await client.post('/v1/incidents', { type: 'other', severity: 'low', summary: `Page ${i}` })).body.id);

    const first = await client.get('/v1/incidents?limit=3');
    const second = await client.get(`/v1/incidents?limit=3&cursor=${first.body.next_cursor}`);

    expect([...first.body.data, ...second.body.data].map((i: { id: string }) => i.id)).toEqual(ids.reverse());
    expect(second.body.next_cursor).toBeNull();
  });

  it("answers 404 for another tenant's incident", async () => {
    const other = server.client((await makeTenant(server.runtime.db, 'incident other tenant')).testKey);
    const created = await api.post('/v1/incidents', { type: 'other', severity: 'low', summary: 'Private' });

    const read = await other.get(`/v1/incidents/${created.body.id}`);
    const patch = await other.patch(`/v1/incidents/${created.body.id}`, { status: 'dismissed' });
    const list = await other.get('/v1/incidents');
    const live = await server.client(tenant.liveKey).get(`/v1/incidents/${created.body.id}`);

    expect(read.status).toBe(404);
    expect(patch.status).toBe(404);
    expect(list.body.data).toEqual([]);
    expect(live.status).toBe(404);
  });
});
