import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ApiClient } from './support/client';
import { startTestServer, type TestServer } from './support/server';
import { makeTenant, type TestTenant } from './support/tenants';

let server: TestServer;
/** A server as deployed by default: private webhook URLs are not allowed. */
let strictServer: TestServer;
let tenant: TestTenant;
let api: ApiClient;
let strictApi: ApiClient;

// No worker runs here, and this tenant records no events, so nothing is sent to these URLs.
// Every URL is an unused port of 127.0.0.1 or is rejected.
const UNUSED_URL = 'http://127.0.0.1:9/hooks';

beforeAll(async () => {
  server = await startTestServer();
  strictServer = await startTestServer({ config: { allowPrivateWebhookUrls: false } });
  tenant = await makeTenant(server.runtime.db, 'webhook endpoints');
  api = server.client(tenant.testKey);
  strictApi = strictServer.client(tenant.testKey);
});

afterAll(async () => {
  await server?.close();
  await strictServer?.close();
});

describe('webhook endpoints', () => {
  it('creates an endpoint and returns its secret once', async () => {
    const created = await api.post('/v1/webhook-endpoints', { url: UNUSED_URL, event_types: ['visit.checked_in'], description: 'Gate dashboard', enabled: false });
    const read = await api.get(`/v1/webhook-endpoints/${created.body.id}`);
    const row = await server.runtime.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();

    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^we_[a-z0-9]{20}$/);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.body.secret.slice(6), 'base64')).toHaveLength(32);
    expect(created.body).toMatchObject({ url: UNUSED_URL, event_types: ['visit.checked_in'], description: 'Gate dashboard', enabled: false, disabled_reason: 'manual', livemode: false });
    expect(read.body).not.toHaveProperty('secret');
    expect(read.body).toEqual(Object.fromEntries(Object.entries(created.body).filter(([key]) => key !== 'secret')));
    expect(row.secret_ciphertext).not.toContain(created.body.secret.slice(6, 20));
    expect(server.runtime.services.secretBox.open(row.secret_ciphertext)).toBe(created.body.secret);
  });

  it('subscribes to every type when event_types is omitted', async () => {
    const created = await api.post('/v1/webhook-endpoints', { url: UNUSED_URL });

    expect(created.body).toMatchObject({ event_types: null, enabled: true, disabled_reason: null, disabled_at: null, description: null });
  });

  it.each([
    ['https://localhost/hooks'],
    ['https://api.localhost/hooks'],
    ['https://127.0.0.1/hooks'],
    ['https://127.1.2.3:8443/hooks'],
    ['https://[::1]/hooks'],
    ['https://[::ffff:127.0.0.1]/hooks'],
    ['https://0x7f000001/hooks'],
    ['http://127.0.0.1:4000/hooks'],
  ])('rejects %s while private URLs are not allowed', async (url) => {
    const response = await strictApi.post('/v1/webhook-endpoints', { url });

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toEqual(['url']);
  });

  it.each([
    ['ftp://127.0.0.1/hooks', 'must use http or https'],
    ['https://user:secret@127.0.0.1/hooks', 'user name or password'],
    ['not a url', 'url'],
  ])('rejects %s', async (url, message) => {
    const response = await api.post('/v1/webhook-endpoints', { url });

    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.issues.fieldErrors)).toContain(message);
  });

  it.each([
    ['an unknown event type', { url: UNUSED_URL, event_types: ['visit.deleted'] }, 'event_types.0'],
    ['an empty event type list', { url: UNUSED_URL, event_types: [] }, 'event_types'],
    ['an unknown field', { url: UNUSED_URL, secret: 'whsec_mine' }, 'secret'],
    ['a missing url', { description: 'x' }, 'url'],
  ])('rejects %s with 400 naming the field', async (_case, body, field) => {
    const response = await api.post('/v1/webhook-endpoints', body);

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toContain(field);
  });

  it('updates fields and re-enables an endpoint', async () => {
    const created = await api.post('/v1/webhook-endpoints', { url: UNUSED_URL, enabled: false });
    await server.runtime.db.updateTable('webhook_endpoints').set({ failing_since: new Date() }).where('id', '=', created.body.id).execute();

    const updated = await api.patch(`/v1/webhook-endpoints/${created.body.id}`, { url: 'http://127.0.0.1:9/other', event_types: ['incident.created'], description: 'Renamed', enabled: true });
    const reset = await api.patch(`/v1/webhook-endpoints/${created.body.id}`, { event_types: null, description: null });
    const row = await server.runtime.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();

    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ url: 'http://127.0.0.1:9/other', event_types: ['incident.created'], description: 'Renamed', enabled: true, disabled_reason: null, disabled_at: null });
    expect(reset.body).toMatchObject({ event_types: null, description: null });
    expect(row.failing_since).toBeNull();
  });

  it('disables by hand with reason manual', async () => {
    const created = await api.post('/v1/webhook-endpoints', { url: UNUSED_URL });

    const disabled = await api.patch(`/v1/webhook-endpoints/${created.body.id}`, { enabled: false });

    expect(disabled.body).toMatchObject({ enabled: false, disabled_reason: 'manual' });
    expect(disabled.body.disabled_at).toBeTypeOf('string');
  });

  it('rejects a private URL in an update while private URLs are not allowed', async () => {
    const created = await api.post('/v1/webhook-endpoints', { url: UNUSED_URL });

    const response = await strictApi.patch(`/v1/webhook-endpoints/${created.body.id}`, { url: 'https://localhost/hooks' });
    const stored = await api.get(`/v1/webhook-endpoints/${created.body.id}`);

    expect(response.status).toBe(400);
    expect(stored.body.url).toBe(UNUSED_URL);
  });

  it('rotates the secret and keeps the previous one for 24 hours', async () => {
    const created = await api.post('/v1/webhook-endpoints', { url: UNUSED_URL });

    const rotated = await api.post(`/v1/webhook-endpoints/${created.body.id}/rotate-secret`);
    const row = await server.runtime.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();

    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(server.runtime.services.secretBox.open(row.previous_secret_ciphertext!)).toBe(created.body.secret);
    expect(row.previous_secret_expires_at!.getTime() - Date.now()).toBeGreaterThan(24 * 3600_000 - 60_000);
  });

  it('lists endpoints newest first, filtered by enabled', async () => {
    const client = server.client((await makeTenant(server.runtime.db, 'endpoint list')).testKey);
    const first = await client.post('/v1/webhook-endpoints', { url: UNUSED_URL });
    const second = await client.post('/v1/webhook-endpoints', { url: UNUSED_URL, enabled: false });
    const third = await client.post('/v1/webhook-endpoints', { url: UNUSED_URL });

    const all = await client.get('/v1/webhook-endpoints?limit=2');
    const rest = await client.get(`/v1/webhook-endpoints?limit=2&cursor=${all.body.next_cursor}`);
    const disabled = await client.get('/v1/webhook-endpoints?enabled=false');

    expect([...all.body.data, ...rest.body.data].map((e: { id: string }) => e.id)).toEqual([third.body.id, second.body.id, first.body.id]);
    expect(all.body.data[0]).not.toHaveProperty('secret');
    expect(disabled.body.data.map((e: { id: string }) => e.id)).toEqual([second.body.id]);
  });

  it('deletes an endpoint with its deliveries', async () => {
    const created = await api.post('/v1/webhook-endpoints', { url: UNUSED_URL, enabled: false });

    const deleted = await api.request('DELETE', `/v1/webhook-endpoints/${created.body.id}`);
    const read = await api.get(`/v1/webhook-endpoints/${created.body.id}`);
    const again = await api.request('DELETE', `/v1/webhook-endpoints/${created.body.id}`);

    expect(deleted.status).toBe(204);
    expect(read.status).toBe(404);
    expect(again.status).toBe(404);
  });

  it("answers 404 for another tenant's endpoint on every operation", async () => {
    const created = await api.post('/v1/webhook-endpoints', { url: UNUSED_URL, enabled: false });
    const other = server.client((await makeTenant(server.runtime.db, 'endpoint other tenant')).testKey);
    const id = created.body.id as string;

    const responses = [
      await other.get(`/v1/webhook-endpoints/${id}`),
      await other.patch(`/v1/webhook-endpoints/${id}`, { description: 'mine now' }),
      await other.post(`/v1/webhook-endpoints/${id}/rotate-secret`),
      await other.post(`/v1/webhook-endpoints/${id}/test`),
      await other.get(`/v1/webhook-endpoints/${id}/deliveries`),
      await other.request('DELETE', `/v1/webhook-endpoints/${id}`),
      await server.client(tenant.liveKey).get(`/v1/webhook-endpoints/${id}`),
    ];

    expect(responses.map((response) => response.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
    expect((await api.get(`/v1/webhook-endpoints/${id}`)).body.description).toBeNull();
  });

  it('lists no attempts for a new endpoint', async () => {
    const created = await api.post('/v1/webhook-endpoints', { url: UNUSED_URL, enabled: false });

    const attempts = await api.get(`/v1/webhook-endpoints/${created.body.id}/deliveries`);

    expect(attempts.status).toBe(200);
    expect(attempts.body).toEqual({ data: [], next_cursor: null });
  });
});
