import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { TenantScope } from '../server/src/http/operation';
import { createDelivery, insertEvent } from '../server/src/events/record';
import { renderEmail } from '../server/src/jobs/templates';
import { createLogger } from '../server/src/log';
import { createTenant } from '../server/src/tenants';
import { deliverWebhook, type DeliveryDeps } from '../server/src/webhooks/deliver';
import { unscheduleDelivery } from '../server/src/webhooks/delivery-jobs';
import { retryDelayMs } from '../server/src/webhooks/schedule';
import type { ApiClient } from './support/client';
import { startReceiver, type WebhookReceiver } from './support/receiver';
import { startTestServer, type TestServer } from './support/server';
import { createEndpoint, deliveryJob, loadVerifier } from './support/webhooks';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

let server: TestServer;
let receiver: WebhookReceiver;
let api: ApiClient;
let scope: TenantScope;
/** The fake clock of the delivery task: 30 days ahead, so no real worker ever finds these jobs due. */
let now: Date;

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startTestServer();
  const { tenant, keys } = await createTenant(server.runtime.db, 'webhook retries', { email: 'ops@acme.example', locale: 'es-MX' });
  scope = { tenantId: tenant.id, mode: 'test' };
  api = server.client(keys.test.secret);
});

beforeEach(() => {
  now = new Date(Date.now() + 30 * 24 * HOUR);
  receiver.reply = () => ({ status: 200 });
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

function deps(overrides: Partial<DeliveryDeps['config']> = {}): DeliveryDeps {
  return {
    db: server.runtime.db,
    config: { allowPrivateWebhookUrls: true, webhookTimeoutMs: 5000, webhookMaxInFlightPerEndpoint: 2, ...overrides },
    secretBox: server.runtime.services.secretBox,
    log: createLogger('silent'),
    clock: () => now,
    // The middle of the jitter range, so delays equal the schedule exactly.
    random: () => 0.5,
  };
}

/**
 * Records a ping and its delivery like the API does, but removes the queued jobs in the same
 * transaction: workers of other test files share the queue, and this file drives the task itself.
 */
async function queueDelivery(endpointId: string): Promise<{ eventId: string; deliveryId: string; payload: { tenant_id: string; mode: 'test'; delivery_id: string } }> {
  return server.runtime.db.transaction().execute(async (trx) => {
    const event = await insertEvent(trx, scope, 'ping', { id: endpointId });
    const delivery = await createDelivery(trx, scope, event.id, endpointId);
    await unscheduleDelivery(trx, delivery.id);
    return { eventId: event.id, deliveryId: delivery.id, payload: { tenant_id: scope.tenantId, mode: 'test', delivery_id: delivery.id } };
  });
}

function requestsFor(label: string) {
  return receiver.requests.filter((request) => request.path.endsWith(`?${label}`));
}

function deliveryRow(id: string) {
  return server.runtime.db.selectFrom('webhook_deliveries').selectAll().where('tenant_id', '=', scope.tenantId).where('id', '=', id).executeTakeFirstOrThrow();
}

function attemptRows(deliveryId: string) {
  return server.runtime.db
    .selectFrom('webhook_delivery_attempts')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('delivery_id', '=', deliveryId)
    .orderBy('attempt')
    .execute();
}

function endpointRow(id: string) {
  return server.runtime.db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', scope.tenantId).where('id', '=', id).executeTakeFirstOrThrow();
}

describe('retryDelayMs', () => {
  it('follows the schedule, then every 4 hours', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map((failures) => retryDelayMs(failures, undefined, () => 0.5));

    expect(delays).toEqual([5 * SECOND, 30 * SECOND, 2 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR, 4 * HOUR, 4 * HOUR]);
  });

  it('adds at most 10% jitter either way', () => {
    expect(retryDelayMs(2, undefined, () => 0)).toBe(27 * SECOND);
    expect(retryDelayMs(2, undefined, () => 1)).toBe(33 * SECOND);
  });

  it('waits at least as long as Retry-After', () => {
    expect(retryDelayMs(1, 90 * SECOND, () => 0.5)).toBe(90 * SECOND);
    expect(retryDelayMs(3, 10 * SECOND, () => 0.5)).toBe(2 * MINUTE);
  });
});

describe('webhook retries', () => {
  it('sends again once after each failure, with growing delays', async () => {
    const endpoint = await createEndpoint(api, { url: `${receiver.url}?flaky` });
    const { payload, deliveryId, eventId } = await queueDelivery(endpoint.id);
    receiver.reply = () => (requestsFor('flaky').length <= 3 ? { status: 500 } : { status: 200 });
    const delays: number[] = [];

    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await deliverWebhook(payload, deps())).toBe('attempted');
      expect(requestsFor('flaky')).toHaveLength(attempt);
      const job = await deliveryJob(server.runtime.db, deliveryId);
      if (attempt === 4) {
        expect(job).toBeUndefined();
        break;
      }

      // Run early, the task sends nothing: the retry is not due yet.
      expect(await deliverWebhook(payload, deps())).toBe('skipped');
      expect(requestsFor('flaky')).toHaveLength(attempt);
      delays.push(job!.run_at.getTime() - now.getTime());
      now = job!.run_at;
    }

    const verifier = await loadVerifier();
    const delivery = await deliveryRow(deliveryId);
    const attempts = await attemptRows(deliveryId);

    expect(delays).toEqual([5 * SECOND, 30 * SECOND, 2 * MINUTE]);
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 4, next_attempt_at: null, locked_until: null });
    expect(attempts.map((a) => a.status_code)).toEqual([500, 500, 500, 200]);
    expect(attempts.map((a) => a.succeeded)).toEqual([false, false, false, true]);
    expect(attempts[0]!.error).toBe('the endpoint answered HTTP 500');
    expect(attempts[3]!.next_retry_at).toBeNull();
    for (const request of requestsFor('flaky')) {
      expect(request.body.id).toBe(eventId);
      const sentAt = Number(request.headers['x-vf-timestamp']) * 1000;
      expect(verifier.verifyVisitorFlowSignature({ rawBody: request.rawBody, headers: request.headers, secret: endpoint.secret, now: sentAt }).ok).toBe(true);
    }
    expect((await endpointRow(endpoint.id)).failing_since).toBeNull();
  });

  it('lists attempts with their next retry time', async () => {
    const endpoint = await createEndpoint(api, { url: `${receiver.url}?listed` });
    const { payload, eventId } = await queueDelivery(endpoint.id);
    receiver.reply = () => ({ status: 502 });

    await deliverWebhook(payload, deps());
    const page = await api.get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`);

    expect(page.status).toBe(200);
    expect(page.body.next_cursor).toBeNull();
    expect(page.body.data).toHaveLength(1);
    expect(page.body.data[0]).toMatchObject({ event_id: eventId, attempt: 1, succeeded: false, status_code: 502, error: 'the endpoint answered HTTP 502' });
    expect(Date.parse(page.body.data[0].next_retry_at) - now.getTime()).toBe(5 * SECOND);
    expect(page.body.data[0].duration_ms).toBeGreaterThanOrEqual(0);
  });

  it.each([
    [429, { 'retry-after': '300' }, 300 * SECOND],
    [503, { 'retry-after': '120' }, 120 * SECOND],
    [500, { 'retry-after': '300' }, 5 * SECOND],
  ])('honours Retry-After on %i only for 429 and 503', async (status, headers, expectedDelay) => {
    const label = `retry-after-${status}`;
    const endpoint = await createEndpoint(api, { url: `${receiver.url}?${label}` });
    const { payload, deliveryId } = await queueDelivery(endpoint.id);
    receiver.reply = () => ({ status, headers });

    await deliverWebhook(payload, deps());
    const job = await deliveryJob(server.runtime.db, deliveryId);

    expect(job!.run_at.getTime() - now.getTime()).toBe(expectedDelay);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const endpoint = await createEndpoint(api, { url: `${receiver.url}?retry-date` });
    const { payload, deliveryId } = await queueDelivery(endpoint.id);
    receiver.reply = () => ({ status: 503, headers: { 'retry-after': new Date(now.getTime() + 10 * MINUTE).toUTCString() } });

    await deliverWebhook(payload, deps());
    const job = await deliveryJob(server.runtime.db, deliveryId);

    // An HTTP date has whole seconds, so up to a second of the fake clock's milliseconds is lost.
    expect(job!.run_at.getTime() - now.getTime()).toBeGreaterThan(10 * MINUTE - SECOND);
    expect(job!.run_at.getTime() - now.getTime()).toBeLessThanOrEqual(10 * MINUTE);
  });

  it('gives up after 24 hours and disables the endpoint', async () => {
    const endpoint = await createEndpoint(api, { url: `${receiver.url}?down` });
    const { payload, deliveryId } = await queueDelivery(endpoint.id);
    receiver.reply = () => ({ status: 500 });
    const firstAttemptAt = now;

    for (let attempt = 1; attempt <= 30; attempt++) {
      await deliverWebhook(payload, deps());
      const job = await deliveryJob(server.runtime.db, deliveryId);
      if (!job) break;
      now = job.run_at;
    }

    const delivery = await deliveryRow(deliveryId);
    const attempts = await attemptRows(deliveryId);
    const disabled = await endpointRow(endpoint.id);
    const events = await api.get('/v1/events?type=webhook_endpoint.disabled');
    const email = await server.runtime.db.selectFrom('outbound_emails').selectAll().where('tenant_id', '=', scope.tenantId).where('webhook_endpoint_id', '=', endpoint.id).executeTakeFirstOrThrow();

    expect(delivery.status).toBe('failed');
    expect(delivery.next_attempt_at).toBeNull();
    expect(attempts).toHaveLength(requestsFor('down').length);
    // At 0 s, then after 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h (five times), and at the 24-hour mark.
    expect(attempts.length).toBe(14);
    expect(attempts.at(-1)!.created_at.getTime() - firstAttemptAt.getTime()).toBe(24 * HOUR);
    expect(attempts.at(-1)!.next_retry_at).toBeNull();
    expect(disabled).toMatchObject({ enabled: false, disabled_reason: 'failing' });
    expect(events.body.data.map((e: { data: { object: { id: string } } }) => e.data.object.id)).toContain(endpoint.id);
    expect(email).toMatchObject({ kind: 'webhook_endpoint_disabled', recipient: 'ops@acme.example', locale: 'es-MX' });
    const rendered = await renderEmail('webhook-endpoint-disabled', 'es-MX', email.template_data ?? {});
    expect(rendered.subject).toBe(`Se desactivó el webhook ${endpoint.id} de VisitorFlow`);
    expect(rendered.text).toContain('todas las entregas fallaron durante 24 horas');
  });

  it('keeps an endpoint enabled while some deliveries succeed', async () => {
    const endpoint = await createEndpoint(api, { url: `${receiver.url}?partly` });
    const failing = await queueDelivery(endpoint.id);
    receiver.reply = () => ({ status: 500 });
    await deliverWebhook(failing.payload, deps());

    const succeeding = await queueDelivery(endpoint.id);
    receiver.reply = () => ({ status: 204 });
    now = new Date(now.getTime() + 23 * HOUR);
    await deliverWebhook(succeeding.payload, deps());
    receiver.reply = () => ({ status: 500 });
    now = new Date(now.getTime() + 2 * HOUR);
    await deliverWebhook(failing.payload, deps());

    expect(await endpointRow(endpoint.id)).toMatchObject({ enabled: true, disabled_reason: null });
    expect((await deliveryRow(succeeding.deliveryId)).status).toBe('succeeded');
    expect((await deliveryRow(failing.deliveryId)).status).toBe('failed');
  });

  it('disables the endpoint at once on 410 Gone', async () => {
    const endpoint = await createEndpoint(api, { url: `${receiver.url}?gone` });
    const { payload, deliveryId } = await queueDelivery(endpoint.id);
    const other = await queueDelivery(endpoint.id);
    receiver.reply = () => ({ status: 410 });

    await deliverWebhook(payload, deps());
    const afterDisable = await deliverWebhook(other.payload, deps());

    expect((await deliveryRow(deliveryId)).status).toBe('failed');
    expect(await deliveryJob(server.runtime.db, deliveryId)).toBeUndefined();
    expect(await endpointRow(endpoint.id)).toMatchObject({ enabled: false, disabled_reason: 'gone' });
    expect(afterDisable).toBe('skipped');
    expect((await deliveryRow(other.deliveryId)).status).toBe('failed');
    expect(requestsFor('gone')).toHaveLength(1);
  });

  it('does not follow redirects', async () => {
    const endpoint = await createEndpoint(api, { url: `${receiver.url}?redirect` });
    const { payload, deliveryId } = await queueDelivery(endpoint.id);
    receiver.reply = (request) => (request.path.endsWith('?redirect') ? { status: 307, headers: { location: `${receiver.url}?redirected` } } : { status: 200 });

    await deliverWebhook(payload, deps());
    const [attempt] = await attemptRows(deliveryId);

    expect(attempt).toMatchObject({ succeeded: false, status_code: 307 });
    expect(requestsFor('redirected')).toHaveLength(0);
  });

  it('times out an endpoint that does not answer', async () => {
    const endpoint = await createEndpoint(api, { url: `${receiver.url}?silent` });
    const { payload, deliveryId } = await queueDelivery(endpoint.id);
    receiver.reply = () => 'hold';

    await deliverWebhook(payload, deps({ webhookTimeoutMs: 300 }));
    const [attempt] = await attemptRows(deliveryId);

    expect(attempt).toMatchObject({ succeeded: false, status_code: null, error: 'timed out after 300 ms' });
    expect(attempt!.duration_ms).toBeGreaterThanOrEqual(290);
    expect(attempt!.duration_ms).toBeLessThan(2000);
  });

  it('records a connection error', async () => {
    const closed = await startReceiver();
    await closed.close();
    const endpoint = await createEndpoint(api, { url: closed.url });
    const { payload, deliveryId } = await queueDelivery(endpoint.id);

    await deliverWebhook(payload, deps());
    const [attempt] = await attemptRows(deliveryId);

    expect(attempt).toMatchObject({ succeeded: false, status_code: null });
    expect(attempt!.error).toMatch(/^connection failed: .*ECONNREFUSED/);
  });

  it('checks the address again at delivery time', async () => {
    const endpoint = await createEndpoint(api, { url: `${receiver.url.replace('http:', 'https:')}?private` });
    const { payload, deliveryId } = await queueDelivery(endpoint.id);

    await deliverWebhook(payload, deps({ allowPrivateWebhookUrls: false }));
    const [attempt] = await attemptRows(deliveryId);

    expect(attempt!.error).toMatch(/^blocked: The host "127\.0\.0\.1" is a private, loopback, link-local or reserved address/);
    expect(requestsFor('private')).toHaveLength(0);
  });

  it('defers while the endpoint has the maximum attempts in flight', async () => {
    const endpoint = await createEndpoint(api, { url: `${receiver.url}?busy` });
    const busy = [await queueDelivery(endpoint.id), await queueDelivery(endpoint.id)];
    await server.runtime.db
      .updateTable('webhook_deliveries')
      .set({ locked_until: new Date(now.getTime() + 10 * SECOND) })
      .where('id', 'in', busy.map((entry) => entry.deliveryId))
      .execute();
    const { payload, deliveryId } = await queueDelivery(endpoint.id);

    const outcome = await deliverWebhook(payload, deps());
    const job = await deliveryJob(server.runtime.db, deliveryId);

    expect(outcome).toBe('deferred');
    expect(requestsFor('busy')).toHaveLength(0);
    expect(job!.run_at.getTime() - now.getTime()).toBe(2 * SECOND);
    expect((await deliveryRow(deliveryId)).attempts).toBe(0);
  });

  it('drops the delivery of a deleted endpoint', async () => {
    const endpoint = await createEndpoint(api, { url: `${receiver.url}?deleted` });
    const { payload } = await queueDelivery(endpoint.id);
    await api.request('DELETE', `/v1/webhook-endpoints/${endpoint.id}`);

    expect(await deliverWebhook(payload, deps())).toBe('skipped');
    expect(requestsFor('deleted')).toHaveLength(0);
  });
});
