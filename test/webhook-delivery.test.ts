import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ApiClient } from './support/client';
import { startReceiver, type ReceivedRequest, type WebhookReceiver } from './support/receiver';
import { startTestServer, type TestServer } from './support/server';
import { makeTenant, REFERENCE_VISITOR_VISIT, seedReferenceDirectory } from './support/tenants';
import { createEndpoint, eventually, loadVerifier, type WebhookVerifier } from './support/webhooks';

let server: TestServer;
let receiver: WebhookReceiver;
let api: ApiClient;
let verifier: WebhookVerifier;

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startTestServer({ worker: 'webhooks' });
  const tenant = await makeTenant(server.runtime.db, 'webhook delivery');
  api = server.client(tenant.testKey);
  await seedReferenceDirectory(api);
  verifier = await loadVerifier();
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

/** Matches a delivery of one event type about one object; `label` narrows it to one endpoint's URL. */
function isEvent(type: string, objectId: string, label?: string) {
  return (request: ReceivedRequest) =>
    request.body?.type === type && request.body?.data?.object?.id === objectId && (label === undefined || request.path.endsWith(`?${label}`));
}

describe('webhook delivery', () => {
  it('sends a visit check-in that verifies with the documented recipe', async () => {
    const endpoint = await createEndpoint(api, { url: `${receiver.url}?recipe`, event_types: ['visit.checked_in'] });
    const visit = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);

    const [request] = await receiver.waitFor(isEvent('visit.checked_in', visit.body.id, 'recipe'));
    const visitorFlow = verifier.verifyVisitorFlowSignature({ rawBody: request!.rawBody, headers: request!.headers, secret: endpoint.secret });
    const standard = verifier.verifyStandardWebhook({ rawBody: request!.rawBody, headers: request!.headers, secret: endpoint.secret });

    expect(visitorFlow).toEqual({ ok: true, eventId: request!.body.id });
    expect(standard).toEqual({ ok: true, eventId: request!.body.id });
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-vf-event-id']).toBe(request!.body.id);
    expect(request!.headers['webhook-id']).toBe(request!.body.id);
    expect(request!.headers['x-vf-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(request!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(Math.abs(Number(request!.headers['x-vf-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(request!.body.data.object).toEqual(visit.body);
  });

  it('sends the body that GET /v1/events returns', async () => {
    await createEndpoint(api, { url: `${receiver.url}?created`, event_types: ['visit.created'] });
    const visit = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);

    const [request] = await receiver.waitFor(isEvent('visit.created', visit.body.id, 'created'));
    const event = await api.get(`/v1/events/${request!.body.id}`);

    expect(event.status).toBe(200);
    expect(request!.rawBody).toBe(JSON.stringify(event.body));
    expect(Object.keys(request!.body)).toEqual(['id', 'type', 'created_at', 'livemode', 'data']);
  });

  it('fails verification with a wrong secret, a changed body or an old timestamp', async () => {
    const endpoint = await createEndpoint(api, { url: `${receiver.url}?tamper`, event_types: ['visit.checked_in'] });
    const other = await createEndpoint(api, { url: `${receiver.url}?other`, event_types: ['incident.created'] });
    const visit = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);
    const [request] = await receiver.waitFor(isEvent('visit.checked_in', visit.body.id, 'tamper'));
    const { rawBody, headers } = request!;
    const sentAt = Number(headers['x-vf-timestamp']) * 1000;

    for (const verify of [verifier.verifyVisitorFlowSignature, verifier.verifyStandardWebhook]) {
      expect(verify({ rawBody, headers, secret: endpoint.secret, now: sentAt }).ok).toBe(true);
      expect(verify({ rawBody, headers, secret: other.secret, now: sentAt })).toEqual({ ok: false, reason: 'no signature matches this secret' });
      expect(verify({ rawBody: rawBody.replace('Marisol', 'Mallory'), headers, secret: endpoint.secret, now: sentAt }).ok).toBe(false);
      expect(verify({ rawBody, headers, secret: endpoint.secret, now: sentAt + 5 * 60_000 + 2000 }).ok).toBe(false);
      expect(verify({ rawBody, headers, secret: endpoint.secret, now: sentAt - 5 * 60_000 - 2000 }).ok).toBe(false);
    }
  });

  it('sends only the subscribed event types', async () => {
    const endpoint = await createEndpoint(api, { url: `${receiver.url}?checkout-only`, event_types: ['visit.checked_out'] });
    const visit = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);
    await api.patch(`/v1/visits/${visit.body.id}`, { status: 'checked_out' });

    const [request] = await receiver.waitFor((r) => r.path.endsWith('?checkout-only') && r.body?.data?.object?.id === visit.body.id);
    const deliveries = await server.runtime.db.selectFrom('webhook_deliveries').innerJoin('events', 'events.id', 'webhook_deliveries.event_id').select('events.type').where('webhook_deliveries.endpoint_id', '=', endpoint.id).execute();

    expect(request!.body.type).toBe('visit.checked_out');
    expect(request!.body.data.object.status).toBe('checked_out');
    expect(deliveries.map((row) => row.type)).toEqual(['visit.checked_out']);
  });

  it('sends a ping from the test operation', async () => {
    const endpoint = await createEndpoint(api, { url: receiver.url, event_types: ['incident.created'] });

    const response = await api.post(`/v1/webhook-endpoints/${endpoint.id}/test`);
    const [request] = await receiver.waitFor(isEvent('ping', endpoint.id));

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ endpoint_id: endpoint.id, status: 'pending', attempts: 0 });
    expect(request!.body.data.object.url).toBe(receiver.url);
    expect(request!.body.data.object).not.toHaveProperty('secret');
    expect(verifier.verifyVisitorFlowSignature({ rawBody: request!.rawBody, headers: request!.headers, secret: endpoint.secret }).ok).toBe(true);
  });

  it('signs with both secrets during rotation', async () => {
    const endpoint = await createEndpoint(api, { url: receiver.url, event_types: ['incident.created'] });
    const rotated = await api.post(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`);
    await api.post(`/v1/webhook-endpoints/${endpoint.id}/test`);

    const [request] = await receiver.waitFor(isEvent('ping', endpoint.id));
    const { rawBody, headers } = request!;

    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    expect(String(headers['x-vf-signature']).split(' ')).toHaveLength(2);
    expect(String(headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [endpoint.secret, rotated.body.secret as string]) {
      expect(verifier.verifyVisitorFlowSignature({ rawBody, headers, secret }).ok).toBe(true);
      expect(verifier.verifyStandardWebhook({ rawBody, headers, secret }).ok).toBe(true);
    }
  });

  it('signs with the new secret only after the overlap ends', async () => {
    const endpoint = await createEndpoint(api, { url: receiver.url, event_types: ['incident.created'] });
    const rotated = await api.post(`/v1/webhook-endpoints/${endpoint.id}/rotate-secret`);
    await server.runtime.db.updateTable('webhook_endpoints').set({ previous_secret_expires_at: new Date(Date.now() - 1000) }).where('id', '=', endpoint.id).execute();
    await api.post(`/v1/webhook-endpoints/${endpoint.id}/test`);

    const [request] = await receiver.waitFor(isEvent('ping', endpoint.id));
    const { rawBody, headers } = request!;

    expect(String(headers['x-vf-signature']).split(' ')).toHaveLength(1);
    expect(verifier.verifyVisitorFlowSignature({ rawBody, headers, secret: rotated.body.secret }).ok).toBe(true);
    expect(verifier.verifyVisitorFlowSignature({ rawBody, headers, secret: endpoint.secret }).ok).toBe(false);
  });

  it('redelivers an event on demand', async () => {
    const endpoint = await createEndpoint(api, { url: `${receiver.url}?redeliver`, event_types: ['visit.checked_out'] });
    const visit = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);
    await api.patch(`/v1/visits/${visit.body.id}`, { status: 'checked_out' });
    const [first] = await receiver.waitFor(isEvent('visit.checked_out', visit.body.id, 'redeliver'));
    const eventId = first!.body.id as string;

    const response = await api.post(`/v1/events/${eventId}/redeliver`, { endpoint_id: endpoint.id });
    const requests = await receiver.waitFor((r) => r.body?.id === eventId && r.path.endsWith('?redeliver'), 2);
    // The attempt is recorded just after the receiver answers.
    const attempts = await eventually(async () => {
      const page = await api.get(`/v1/webhook-endpoints/${endpoint.id}/deliveries?event_id=${eventId}`);
      return page.body.data.length === 2 ? page : undefined;
    }, 'two recorded attempts');

    expect(response.status).toBe(202);
    expect(response.body.event_id).toBe(eventId);
    expect(response.body.deliveries).toHaveLength(1);
    expect(requests[1]!.rawBody).toBe(requests[0]!.rawBody);
    expect(attempts.body.data).toHaveLength(2);
    expect(new Set(attempts.body.data.map((a: { delivery_id: string }) => a.delivery_id)).size).toBe(2);
    expect(attempts.body.data[0]).toMatchObject({ event_id: eventId, endpoint_id: endpoint.id, attempt: 1, succeeded: true, status_code: 200, error: null, next_retry_at: null });
  });

  it('redelivers to every subscribed endpoint without endpoint_id', async () => {
    const tenant = await makeTenant(server.runtime.db, 'redeliver all');
    const client = server.client(tenant.testKey);
    const first = await createEndpoint(client, { url: `${receiver.url}?all-1` });
    await createEndpoint(client, { url: `${receiver.url}?all-2`, event_types: ['incident.updated'] });
    await createEndpoint(client, { url: `${receiver.url}?all-3`, enabled: false });
    const incident = await client.post('/v1/incidents', { type: 'safety', severity: 'high', summary: 'Spill near dock 4' });
    const [delivered] = await receiver.waitFor(isEvent('incident.created', incident.body.id));

    const response = await client.post(`/v1/events/${delivered!.body.id}/redeliver`);

    expect(response.status).toBe(202);
    expect(response.body.deliveries.map((d: { endpoint_id: string }) => d.endpoint_id)).toEqual([first.id]);
  });

  it('rejects redelivery to a disabled or unknown endpoint', async () => {
    const endpoint = await createEndpoint(api, { url: receiver.url, event_types: ['incident.created'], enabled: false });
    const events = await api.get('/v1/events?limit=1');
    const eventId = events.body.data[0].id as string;

    const disabled = await api.post(`/v1/events/${eventId}/redeliver`, { endpoint_id: endpoint.id });
    const unknown = await api.post(`/v1/events/${eventId}/redeliver`, { endpoint_id: 'we_missing' });
    const missingEvent = await api.post('/v1/events/evt_missing/redeliver', {});
    const ping = await api.post(`/v1/webhook-endpoints/${endpoint.id}/test`);

    expect(disabled.status).toBe(409);
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues.fieldErrors).toHaveProperty('endpoint_id');
    expect(missingEvent.status).toBe(404);
    expect(ping.status).toBe(409);
  });

  it('does not let a slow endpoint delay a fast one', async () => {
    const slow = await startReceiver();
    const fast = await startReceiver();
    let slowInFlight = 0;
    let maxSlowInFlight = 0;
    slow.reply = async () => {
      slowInFlight += 1;
      maxSlowInFlight = Math.max(maxSlowInFlight, slowInFlight);
      await new Promise((resolve) => setTimeout(resolve, 6000));
      slowInFlight -= 1;
      return { status: 200 };
    };
    const tenant = await makeTenant(server.runtime.db, 'slow and fast');
    const client = server.client(tenant.testKey);
    const slowEndpoint = await createEndpoint(client, { url: slow.url, event_types: ['incident.created'] });
    const fastEndpoint = await createEndpoint(client, { url: fast.url, event_types: ['incident.created'] });

    try {
      for (let i = 0; i < 8; i++) await client.post(`/v1/webhook-endpoints/${slowEndpoint.id}/test`);
      await slow.waitFor(() => true, 2);
      const sentAt = Date.now();
      await client.post(`/v1/webhook-endpoints/${fastEndpoint.id}/test`);
      const [request] = await fast.waitFor(isEvent('ping', fastEndpoint.id));

      expect(request!.receivedAt - sentAt).toBeLessThan(3000);
      expect(slowInFlight).toBeGreaterThan(0);
      expect(maxSlowInFlight).toBeLessThanOrEqual(2);
    } finally {
      await client.request('DELETE', `/v1/webhook-endpoints/${slowEndpoint.id}`);
      await slow.close();
      await fast.close();
    }
  });
});
