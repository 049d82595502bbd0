import type { Kysely, Transaction } from 'kysely';

import type { Config } from '../config';
import type { Database, EventRow, WebhookDeliveryRow, WebhookEndpointRow } from '../db/schema';
import { deliveryJobKey } from '../events/record';
import type { TenantScope } from '../http/operation';
import { newId } from '../ids';
import { dequeue, enqueue, type TaskPayloads } from '../jobs/queue';
import type { Logger } from '../log';
import { serializeEvent } from '../resources/serialize-event';
import { disableEndpoint } from './disable';
import { postWebhook, type PostResult } from './post';
import { RETRY_WINDOW_MS, parseRetryAfter, retryDelayMs } from './schedule';
import type { SecretBox } from './secret-box';
import { signatureHeaders } from './signature';
import type { Resolver } from './target';

export interface DeliveryDeps {
  db: Kysely<Database>;
  config: Pick<Config, 'allowPrivateWebhookUrls' | 'webhookTimeoutMs' | 'webhookMaxInFlightPerEndpoint'>;
  secretBox: SecretBox;
  log: Logger;
  /** The time source for schedules and signatures; tests pass a fake one. */
  clock?: () => Date;
  random?: () => number;
  resolver?: Resolver;
}

export type DeliveryOutcome = 'attempted' | 'deferred' | 'skipped';

/** How long after an attempt's timeout another worker takes over a delivery whose worker died. */
const TAKEOVER_MARGIN_MS = 5_000;
const FAILING_ENDPOINT_MS = 24 * 60 * 60 * 1000;

interface Claimed {
  scope: TenantScope;
  delivery: WebhookDeliveryRow;
  endpoint: WebhookEndpointRow;
  event: EventRow;
  startedAt: Date;
}

/**
 * Runs one attempt of a delivery, the `deliver_webhook` task. Before sending, it marks the
 * delivery in flight and queues a takeover job for just after the attempt's timeout, so a
 * worker killed mid-request delays the delivery by that much, not by graphile-worker's
 * 4-hour lock expiry. After the attempt it records the result and replaces that job with
 * the next retry, or removes it. Attempts to one endpoint at once are capped across workers,
 * so a slow endpoint holds at most that many worker slots and the others keep flowing.
 */
export async function deliverWebhook(payload: TaskPayloads['deliver_webhook'], deps: DeliveryDeps): Promise<DeliveryOutcome> {
  const clock = deps.clock ?? (() => new Date());
  const claimed = await deps.db.transaction().execute((trx) => claim(trx, payload, deps, clock()));
  if (claimed === 'skipped' || claimed === 'deferred') return claimed;

  const result = await send(claimed, deps);
  await deps.db.transaction().execute((trx) => recordAttempt(trx, claimed, result, deps, clock()));
  return 'attempted';
}

async function claim(trx: Transaction<Database>, payload: TaskPayloads['deliver_webhook'], deps: DeliveryDeps, now: Date): Promise<Claimed | 'skipped' | 'deferred'> {
  const scope: TenantScope = { tenantId: payload.tenant_id, mode: payload.mode };
  const jobKey = deliveryJobKey(payload.delivery_id);
  const delivery = await trx
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', payload.delivery_id)
    .forUpdate()
    .executeTakeFirst();
  if (!delivery || delivery.status !== 'pending') return 'skipped';

  // A job that runs early (another attempt in flight, or a retry not yet due) hands over to one
  // at the right time, because this job may be the only one left for the delivery.
  const notBefore = Math.max(delivery.locked_until?.getTime() ?? 0, delivery.next_attempt_at?.getTime() ?? 0);
  if (notBefore > now.getTime() + 1000) {
    await enqueue(trx, 'deliver_webhook', payload, jobKey, new Date(notBefore));
    return 'skipped';
  }

  const endpoint = await trx
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', delivery.endpoint_id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (!endpoint.enabled) {
    await markFailedWithoutAttempt(trx, delivery, now);
    return 'skipped';
  }

  const inFlight = await trx
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('endpoint_id', '=', endpoint.id)
    .where('locked_until', '>', now)
    .where('id', '!=', delivery.id)
    .executeTakeFirstOrThrow();
  if (inFlight.count >= deps.config.webhookMaxInFlightPerEndpoint) {
    const waitMs = 1000 + Math.round(2000 * (deps.random ?? Math.random)());
    await enqueue(trx, 'deliver_webhook', payload, jobKey, new Date(now.getTime() + waitMs));
    return 'deferred';
  }

  const lockedUntil = new Date(now.getTime() + deps.config.webhookTimeoutMs + TAKEOVER_MARGIN_MS);
  await trx
    .updateTable('webhook_deliveries')
    .set({ locked_until: lockedUntil, updated_at: now })
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', delivery.id)
    .execute();
  await enqueue(trx, 'deliver_webhook', payload, jobKey, lockedUntil);

  const event = await trx
    .selectFrom('events')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', delivery.event_id)
    .executeTakeFirstOrThrow();
  return { scope, delivery, endpoint, event, startedAt: now };
}

async function send(claimed: Claimed, deps: DeliveryDeps): Promise<PostResult> {
  const { endpoint, event, startedAt } = claimed;
  const secrets = [deps.secretBox.open(endpoint.secret_ciphertext)];
  if (endpoint.previous_secret_ciphertext && endpoint.previous_secret_expires_at && endpoint.previous_secret_expires_at > startedAt) {
    secrets.push(deps.secretBox.open(endpoint.previous_secret_ciphertext));
  }

  const body = JSON.stringify(serializeEvent(event));
  const timestamp = Math.floor(startedAt.getTime() / 1000);
  return postWebhook({
    url: endpoint.url,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'VisitorFlow-Webhooks/1',
      ...signatureHeaders({ eventId: event.id, timestamp, body, secrets }),
    },
    timeoutMs: deps.config.webhookTimeoutMs,
    allowPrivate: deps.config.allowPrivateWebhookUrls,
    resolver: deps.resolver,
  });
}

async function recordAttempt(trx: Transaction<Database>, claimed: Claimed, result: PostResult, deps: DeliveryDeps, now: Date): Promise<void> {
  const { scope, endpoint, startedAt } = claimed;
  const delivery = await trx
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', claimed.delivery.id)
    .forUpdate()
    .executeTakeFirst();
  // The endpoint was deleted while the request was in flight, and its deliveries with it.
  if (!delivery) return;

  const attempt = delivery.attempts + 1;
  const firstAttemptAt = delivery.first_attempt_at ?? startedAt;
  const succeeded = result.error === null;
  const gone = result.statusCode === 410;
  const nextRetryAt = succeeded || gone ? null : nextRetryTime(attempt, firstAttemptAt, result, now, deps.random);
  const status = succeeded ? 'succeeded' : nextRetryAt === null ? 'failed' : 'pending';

  await trx
    .insertInto('webhook_delivery_attempts')
    .values({
      tenant_id: scope.tenantId,
      mode: scope.mode,
      id: newId('wha'),
      delivery_id: delivery.id,
      endpoint_id: delivery.endpoint_id,
      event_id: delivery.event_id,
      attempt,
      succeeded,
      status_code: result.statusCode,
      duration_ms: result.durationMs,
      error: result.error,
      next_retry_at: nextRetryAt,
      created_at: startedAt,
    })
    .execute();
  await trx
    .updateTable('webhook_deliveries')
    .set({ status, attempts: attempt, first_attempt_at: firstAttemptAt, next_attempt_at: nextRetryAt, locked_until: null, updated_at: now })
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', delivery.id)
    .execute();

  const jobKey = deliveryJobKey(delivery.id);
  if (nextRetryAt) await enqueue(trx, 'deliver_webhook', { tenant_id: scope.tenantId, mode: scope.mode, delivery_id: delivery.id }, jobKey, nextRetryAt);
  else await dequeue(trx, jobKey);

  const logFields = { tenant_id: scope.tenantId, endpoint_id: endpoint.id, delivery_id: delivery.id, event_id: delivery.event_id, attempt };
  if (succeeded) deps.log.info({ ...logFields, status_code: result.statusCode, duration_ms: result.durationMs }, 'webhook delivered');
  else deps.log.warn({ ...logFields, error: result.error, next_retry_at: nextRetryAt }, 'webhook attempt failed');

  await trackEndpointHealth(trx, scope, endpoint.id, { succeeded, gone, attemptAt: startedAt, now }, deps.log);
}

/** The time of the next retry, or null when the 24-hour window from the first attempt is over. */
function nextRetryTime(attempt: number, firstAttemptAt: Date, result: PostResult, now: Date, random?: () => number): Date | null {
  const deadline = firstAttemptAt.getTime() + RETRY_WINDOW_MS;
  if (now.getTime() >= deadline) return null;
  const honoursRetryAfter = result.statusCode === 429 || result.statusCode === 503;
  const retryAfterMs = honoursRetryAfter ? parseRetryAfter(result.retryAfter, now) : undefined;
  // The last retry happens at the deadline, so an endpoint that recovers late still gets the event.
  return new Date(Math.min(now.getTime() + retryDelayMs(attempt, retryAfterMs, random), deadline));
}

/**
 * Keeps the endpoint's failure streak: a success ends it, a failure starts it if needed, and
 * a streak of 24 hours (every attempt failed since) or a 410 answer disables the endpoint.
 */
async function trackEndpointHealth(
  trx: Transaction<Database>,
  scope: TenantScope,
  endpointId: string,
  outcome: { succeeded: boolean; gone: boolean; attemptAt: Date; now: Date },
  log: Logger,
): Promise<void> {
  const endpoint = await trx
    .selectFrom('webhook_endpoints')
    .select(['failing_since', 'enabled'])
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', endpointId)
    .executeTakeFirst();
  if (!endpoint) return;

  const setFailingSince = (value: Date | null) =>
    trx
      .updateTable('webhook_endpoints')
      .set({ failing_since: value })
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', endpointId)
      .execute();
  if (outcome.succeeded) {
    if (endpoint.failing_since !== null) await setFailingSince(null);
    return;
  }

  const failingSince = endpoint.failing_since ?? outcome.attemptAt;
  if (endpoint.failing_since === null) await setFailingSince(failingSince);
  if (!endpoint.enabled) return;
  if (outcome.gone) await disableEndpoint(trx, scope, endpointId, 'gone', outcome.now, log);
  else if (outcome.now.getTime() - failingSince.getTime() >= FAILING_ENDPOINT_MS) await disableEndpoint(trx, scope, endpointId, 'failing', outcome.now, log);
}

/** Ends a delivery whose endpoint was disabled before it could be sent. */
async function markFailedWithoutAttempt(trx: Transaction<Database>, delivery: WebhookDeliveryRow, now: Date): Promise<void> {
  await trx
    .updateTable('webhook_deliveries')
    .set({ status: 'failed', next_attempt_at: null, locked_until: null, updated_at: now })
    .where('tenant_id', '=', delivery.tenant_id)
    .where('mode', '=', delivery.mode)
    .where('id', '=', delivery.id)
    .execute();
}
