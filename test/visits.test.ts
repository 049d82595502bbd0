import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer, type TestServer } from './support/server';
import { makeTenant, REFERENCE_DRIVER_VISIT, REFERENCE_VISITOR_VISIT, seedReferenceDirectory, type TestTenant } from './support/tenants';
import type { ApiClient } from './support/client';

let server: TestServer;
let tenant: TestTenant;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  tenant = await makeTenant(server.runtime.db, 'visits');
  api = server.client(tenant.testKey);
  await seedReferenceDirectory(api);
});

afterAll(async () => {
  await server?.close();
});

describe('POST /v1/visits', () => {
  it('creates the reference visitor visit, checked in and host notified', async () => {
    const before = Date.now();
    const response = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);

    expect(response.status).toBe(201);
    expect(response.body.id).toMatch(/^vis_[a-z0-9]{20}$/);
    expect(response.body.host_notified).toBe(true);
    expect(response.body.status).toBe('onsite');
    expect(response.body.type).toBe('visitor');
    expect(response.body.visitor).toEqual({ name: 'Marisol Cruz', email: 'marisol@acme.com', company: 'Acme Co' });
    expect(response.body.checked_in_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(Date.parse(response.body.checked_in_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(response.body.livemode).toBe(false);
  });

  it('creates the reference driver visit with shipment and vehicle', async () => {
    const response = await api.post('/v1/visits', REFERENCE_DRIVER_VISIT);

    expect(response.status).toBe(201);
    expect(response.body.type).toBe('driver');
    expect(response.body.driver).toEqual({ name: 'J. Pérez', license_number: 'LIC-1234' });
    expect(response.body.shipment).toEqual({ bol_ref: 'BOL-88412', type: 'delivery', hazmat: false });
    expect(response.body.vehicle).toEqual({ tractor_plate: 'ABC-1234', trailer_plate: 'TR-998' });
    expect(response.body.host_notified).toBe(false);
    expect(response.body.checked_in_at).toBeTypeOf('string');
  });

  it('stores the visit row in PostgreSQL', async () => {
    const created = await api.post('/v1/visits', REFERENCE_DRIVER_VISIT);
    const row = await server.runtime.db
      .selectFrom('visits')
      .selectAll()
      .where('tenant_id', '=', tenant.tenantId)
      .where('mode', '=', 'test')
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();

    expect(row.shipment_bol_ref).toBe('BOL-88412');
    expect(row.tractor_plate).toBe('ABC-1234');
    expect(row.status).toBe('onsite');
  });

  it('rejects an invalid visitor email with the reference error shape', async () => {
    const response = await api.post('/v1/visits', { ...REFERENCE_VISITOR_VISIT, visitor: { name: 'Marisol Cruz', email: 'not-an-email' } });

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body.error).toBe('Invalid payload');
    expect(response.body.issues).toEqual({ fieldErrors: { 'visitor.email': ['Invalid email'] } });
    expect(response.body.status).toBe(400);
    expect(response.body.title).toBe('Invalid payload');
    expect(response.body.request_id).toBe(response.headers.get('x-request-id'));
  });

  it.each([
    ['an unknown field', { ...REFERENCE_VISITOR_VISIT, color: 'red' }, 'color'],
    ['an unknown nested field', { ...REFERENCE_VISITOR_VISIT, visitor: { ...REFERENCE_VISITOR_VISIT.visitor, age: 3 } }, 'visitor.age'],
    ['a wrong type', { ...REFERENCE_DRIVER_VISIT, shipment: { ...REFERENCE_DRIVER_VISIT.shipment, hazmat: 'no' } }, 'shipment.hazmat'],
    ['a missing branch field', { type: 'driver', location_id: 'loc_mty_01' }, 'driver'],
    ['an unknown type', { type: 'bus', location_id: 'loc_mty_01' }, 'type'],
    ['a wrong enum value', { ...REFERENCE_DRIVER_VISIT, shipment: { ...REFERENCE_DRIVER_VISIT.shipment, type: 'return' } }, 'shipment.type'],
    ['a driver field on a visitor', { ...REFERENCE_VISITOR_VISIT, driver: REFERENCE_DRIVER_VISIT.driver }, 'driver'],
  ])('rejects %s and names the field', async (_case, body, field) => {
    const response = await api.post('/v1/visits', body);

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toContain(field);
  });

  it.each([
    ['host_id', { ...REFERENCE_VISITOR_VISIT, host_id: 'h_missing' }],
    ['location_id', { ...REFERENCE_VISITOR_VISIT, location_id: 'loc_missing' }],
    ['location_id', { ...REFERENCE_DRIVER_VISIT, location_id: 'loc_missing' }],
  ])('answers 400 naming %s for an unknown id', async (field, body) => {
    const response = await api.post('/v1/visits', body);

    expect(response.status).toBe(400);
    expect(response.body.issues.fieldErrors[field]?.[0]).toMatch(/^No (host|location) with id/);
  });

  it('answers 400 for malformed JSON', async () => {
    const response = await api.request('POST', '/v1/visits', { raw: '{"type": "visitor",' });

    expect(response.status).toBe(400);
    expect(response.body.error).toBe('Malformed JSON');
  });

  it('answers 413 for an oversized body', async () => {
    const response = await api.post('/v1/visits', { ...REFERENCE_VISITOR_VISIT, visitor: { name: 'x'.repeat(200_000), email: 'a@b.co' } });

    expect(response.status).toBe(413);
    expect(response.body.error).toBe('Payload too large');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const response = await api.request('POST', '/v1/visits', { raw: 'type=visitor', headers: { 'content-type': 'application/x-www-form-urlencoded' } });

    expect(response.status).toBe(415);
  });

  it('changes nothing when the request is rejected', async () => {
    const count = async () =>
      (await server.runtime.db.selectFrom('visits').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenant.tenantId).executeTakeFirstOrThrow()).n;
    const before = await count();

    await api.post('/v1/visits', { ...REFERENCE_VISITOR_VISIT, host_id: 'h_missing' });
    await api.post('/v1/visits', { ...REFERENCE_VISITOR_VISIT, visitor: { name: '', email: 'a@b.co' } });

    expect(await count()).toBe(before);
  });
});

describe('GET /v1/visits', () => {
  it('lists onsite visits at a location in the list envelope', async () => {
    const created = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);

    const response = await api.get('/v1/visits?location_id=loc_mty_01&status=onsite');

    expect(response.status).toBe(200);
    expect(Array.isArray(response.body.data)).toBe(true);
    expect(response.body).toHaveProperty('next_cursor');
    expect(response.body.data[0].id).toBe(created.body.id);
    for (const visit of response.body.data) {
      expect(visit.status).toBe('onsite');
      expect(visit.location_id).toBe('loc_mty_01');
    }
  });

  it('filters by type, host and check-in time', async () => {
    const start = new Date().toISOString();
    const visitor = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);
    const driver = await api.post('/v1/visits', REFERENCE_DRIVER_VISIT);

    const drivers = await api.get(`/v1/visits?type=driver&checked_in_after=${encodeURIComponent(start)}`);
    const byHost = await api.get(`/v1/visits?host_id=h_98412&checked_in_after=${encodeURIComponent(start)}`);
    const beforeStart = await api.get(`/v1/visits?checked_in_before=${encodeURIComponent(start)}`);

    expect(drivers.body.data.map((v: { id: string }) => v.id)).toEqual([driver.body.id]);
    expect(byHost.body.data.map((v: { id: string }) => v.id)).toEqual([visitor.body.id]);
    expect(beforeStart.body.data.map((v: { id: string }) => v.id)).not.toContain(visitor.body.id);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['status=gone', 'status'],
    ['checked_in_after=yesterday', 'checked_in_after'],
    ['cursor=not-a-cursor', 'cursor'],
    ['colour=red', 'colour'],
  ])('rejects the query %s naming the parameter', async (query, field) => {
    const response = await api.get(`/v1/visits?${query}`);

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toContain(field);
  });
});

describe('GET and PATCH /v1/visits/{id}', () => {
  it('retrieves a visit by id', async () => {
    const created = await api.post('/v1/visits', REFERENCE_DRIVER_VISIT);

    const response = await api.get(`/v1/visits/${created.body.id}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(created.body);
  });

  it('answers 404 for an unknown visit', async () => {
    const response = await api.get('/v1/visits/vis_doesnotexist');

    expect(response.status).toBe(404);
    expect(response.body.detail).toContain('vis_doesnotexist');
  });

  it('checks a visit out and then answers 409 with the reason', async () => {
    const created = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);

    const first = await api.patch(`/v1/visits/${created.body.id}`, { status: 'checked_out' });
    const second = await api.patch(`/v1/visits/${created.body.id}`, { status: 'checked_out' });

    expect(first.status).toBe(200);
    expect(first.body.status).toBe('checked_out');
    expect(Date.parse(first.body.checked_out_at)).toBeGreaterThanOrEqual(Date.parse(first.body.checked_in_at));
    expect(second.status).toBe(409);
    expect(second.body.detail).toMatch(/already checked out/);
  });

  it('lets exactly one of two concurrent check-outs win', async () => {
    const created = await api.post('/v1/visits', REFERENCE_DRIVER_VISIT);

    const results = await Promise.all([
      api.patch(`/v1/visits/${created.body.id}`, { status: 'checked_out' }),
      api.patch(`/v1/visits/${created.body.id}`, { status: 'checked_out' }),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('rejects a status other than checked_out', async () => {
    const created = await api.post('/v1/visits', REFERENCE_DRIVER_VISIT);

    const response = await api.patch(`/v1/visits/${created.body.id}`, { status: 'onsite' });

    expect(response.status).toBe(400);
    expect(response.body.issues.fieldErrors).toHaveProperty('status');
  });
});
