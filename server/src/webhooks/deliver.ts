import type { Kysely, Transaction } from 'kysely';

import type { Config } from '../config';
import type { Database, EventRow, WebhookDeliveryRow, WebhookEndpointRow } from '../db/schema';
import type { TenantScope } from '../http/operation';
import type { TaskPayloads } from '../jobs/queue';
import type { Logger } from '../log';
import { serializeEvent } from '../resources/serialize-event';
import { backupDelayMs, scheduleAttempt, scheduleBackup, unscheduleDelivery } from './delivery-jobs';
import { postWebhook, type PostResult } from './post';
import { recordAttempt } from './record-attempt';
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

export interface Claimed {
  scope: TenantScope;
  delivery: WebhookDeliveryRow;
  endpoint: WebhookEndpointRow;
  event: EventRow;
  startedAt: Date;
}

/**
 * Runs one attempt of a delivery, the `deliver_webhook` task. Before sending, it marks the
 * delivery in flight and moves the backup job (see delivery-jobs.ts) to just after the
 * attempt's timeout, so a worker killed mid-request delays the delivery by that much, not by
 * graphile-worker's 4-hour lock expiry. After the attempt it records the result and queues
 * the next retry, or removes the jobs. Attempts to one endpoint at once are capped across
 * workers, so a slow endpoint holds at most that many worker slots and the others keep flowing.
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
  const backupMs = backupDelayMs(deps.config);
  const delivery = await trx
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', payload.delivery_id)
    .forUpdate()
    .executeTakeFirst();
  if (!delivery || delivery.status !== 'pending') return 'skipped';

  // A job that runs early (another attempt in flight, or a retry not yet due) queues the
  // delivery's jobs for the right time again, because this job may be the only one left.
  const notBefore = Math.max(delivery.locked_until?.getTime() ?? 0, delivery.next_attempt_at?.getTime() ?? 0);
  if (notBefore > now.getTime() + 1000) {
    await scheduleAttempt(trx, payload, new Date(notBefore), backupMs);
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
    await unscheduleDelivery(trx, delivery.id);
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
    await scheduleAttempt(trx, payload, new Date(now.getTime() + waitMs), backupMs);
    return 'deferred';
  }

  const lockedUntil = new Date(now.getTime() + backupMs);
  await trx
    .updateTable('webhook_deliveries')
    .set({ locked_until: lockedUntil, updated_at: now })
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', delivery.id)
    .execute();
  await scheduleBackup(trx, payload, lockedUntil);

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
