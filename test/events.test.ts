import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { insertEvent, recordEvent } from '../server/src/events/record';
import { unscheduleDelivery } from '../server/src/webhooks/delivery-jobs';
import type { ApiClient } from './support/client';
import { startTestServer, type TestServer } from './support/server';
import { makeTenant, REFERENCE_DRIVER_VISIT, REFERENCE_VISITOR_VISIT, seedReferenceDirectory, type TestTenant } from './support/tenants';

let server: TestServer;
let tenant: TestTenant;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  tenant = await makeTenant(server.runtime.db, 'events');
  api = server.client(tenant.testKey);
  await seedReferenceDirectory(api);
});

afterAll(async () => {
  await server?.close();
});

async function eventsOf(objectId: string) {
  const page = await api.get('/v1/events?limit=100');
  return page.body.data.filter((event: { data: { object: { id: string } } }) => event.data.object.id === objectId).reverse();
}

describe('events', () => {
  it('records visit.created and visit.checked_in with the visit as returned', async () => {
    const visit = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);

    const events = await eventsOf(visit.body.id);

    expect(events.map((event: { type: string }) => event.type)).toEqual(['visit.created', 'visit.checked_in']);
    for (const event of events) {
      expect(event.id).toMatch(/^evt_[a-z0-9]{20}$/);
      expect(event.livemode).toBe(false);
      expect(event.data.object).toEqual(visit.body);
    }
  });

  it('records visit.checked_out with the checked-out visit', async () => {
    const visit = await api.post('/v1/visits', REFERENCE_DRIVER_VISIT);
    const checkedOut = await api.patch(`/v1/visits/${visit.body.id}`, { status: 'checked_out' });
    const again = await api.patch(`/v1/visits/${visit.body.id}`, { status: 'checked_out' });

    const events = await eventsOf(visit.body.id);

    expect(again.status).toBe(409);
    expect(events.map((event: { type: string }) => event.type)).toEqual(['visit.created', 'visit.checked_in', 'visit.checked_out']);
    expect(events[2].data.object).toEqual(checkedOut.body);
  });

  it('records nothing for a rejected visit', async () => {
    const before = await api.get('/v1/events?limit=1');

    const response = await api.post('/v1/visits', { ...REFERENCE_VISITOR_VISIT, host_id: 'h_missing' });
    const after = await api.get('/v1/events?limit=1');

    expect(response.status).toBe(400);
    expect(after.body.data[0]?.id).toBe(before.body.data[0]?.id);
  });

  it('retrieves one event', async () => {
    const visit = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);
    const [created] = await eventsOf(visit.body.id);

    const response = await api.get(`/v1/events/${created.id}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(created);
  });

  it('filters by type and time range', async () => {
    const client = server.client((await makeTenant(server.runtime.db, 'event filters')).testKey);
    await seedReferenceDirectory(client);
    await client.post('/v1/visits', REFERENCE_VISITOR_VISIT);
    const middle = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = await client.post('/v1/visits', REFERENCE_DRIVER_VISIT);

    const checkedIn = await client.get('/v1/events?type=visit.checked_in');
    const after = await client.get(`/v1/events?created_after=${encodeURIComponent(middle)}`);
    const before = await client.get(`/v1/events?created_before=${encodeURIComponent(middle)}`);

    expect(after.status, JSON.stringify(after.body)).toBe(200);
    expect(checkedIn.body.data).toHaveLength(2);
    expect(checkedIn.body.data.every((event: { type: string }) => event.type === 'visit.checked_in')).toBe(true);
    expect(after.body.data.map((event: { data: { object: { id: string } } }) => event.data.object.id)).toEqual([later.body.id, later.body.id]);
    expect(before.body.data).toHaveLength(2);
  });

  it('pages newest first with a cursor', async () => {
    const client = server.client((await makeTenant(server.runtime.db, 'event pages')).testKey);
    await seedReferenceDirectory(client);
    for (let i = 0; i < 3; i++) await client.post('/v1/visits', REFERENCE_DRIVER_VISIT);

    const all = await client.get('/v1/events?limit=100');
    const first = await client.get('/v1/events?limit=4');
    const second = await client.get(`/v1/events?limit=4&cursor=${first.body.next_cursor}`);

    expect(all.body.data).toHaveLength(6);
    expect([...first.body.data, ...second.body.data]).toEqual(all.body.data);
    expect(second.body.next_cursor).toBeNull();
  });

  it.each([
    ['an unknown type', '/v1/events?type=visit.deleted', 'type'],
    ['an invalid time', '/v1/events?created_after=yesterday', 'created_after'],
    ['an invalid cursor', '/v1/events?cursor=abc', 'cursor'],
  ])('rejects %s with 400', async (_case, path, field) => {
    const response = await api.get(path);

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toContain(field);
  });

  it("answers 404 for another tenant's event and for the other mode", async () => {
    const visit = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);
    const [event] = await eventsOf(visit.body.id);
    const other = server.client((await makeTenant(server.runtime.db, 'events other tenant')).testKey);

    expect((await other.get(`/v1/events/${event.id}`)).status).toBe(404);
    expect((await server.client(tenant.liveKey).get(`/v1/events/${event.id}`)).status).toBe(404);
    expect((await other.get('/v1/events')).body.data).toEqual([]);
  });

  it('queues one delivery per subscribed enabled endpoint of the scope', async () => {
    const fanOut = await makeTenant(server.runtime.db, 'event fan-out');
    const client = server.client(fanOut.testKey);
    const scope = { tenantId: fanOut.tenantId, mode: 'test' as const };
    const endpoints = [];
    for (const body of [{}, { event_types: ['incident.updated'] }, { event_types: ['incident.created'] }, { enabled: false }]) {
      endpoints.push((await client.post('/v1/webhook-endpoints', { url: 'http://127.0.0.1:9/hooks', ...body })).body);
    }

    const event = await server.runtime.db.transaction().execute(async (trx) => {
      const recorded = await recordEvent(trx, scope, 'incident.updated', { id: 'inc_fan_out' });
      // Ended in the same transaction, so no worker sends them to the unused port.
      const queued = await trx.updateTable('webhook_deliveries').set({ status: 'failed' }).where('event_id', '=', recorded.id).returning('id').execute();
      for (const delivery of queued) await unscheduleDelivery(trx, delivery.id);
      return recorded;
    });
    const deliveries = await server.runtime.db.selectFrom('webhook_deliveries').select('endpoint_id').where('event_id', '=', event.id).execute();

    expect(deliveries.map((row) => row.endpoint_id).sort()).toEqual([endpoints[0].id, endpoints[1].id].sort());
  });

  it('inserts an event without deliveries for insertEvent', async () => {
    const scope = { tenantId: tenant.tenantId, mode: 'test' as const };
    const event = await server.runtime.db.transaction().execute((trx) => insertEvent(trx, scope, 'ping', { id: 'we_nowhere' }));
    const deliveries = await server.runtime.db.selectFrom('webhook_deliveries').select('id').where('event_id', '=', event.id).execute();

    expect(deliveries).toEqual([]);
  });
});
