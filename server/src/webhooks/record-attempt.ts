import type { Transaction } from 'kysely';

import type { Database } from '../db/schema';
import { newId } from '../ids';
import type { Claimed, DeliveryDeps } from './deliver';
import { backupDelayMs, scheduleAttempt, unscheduleDelivery } from './delivery-jobs';
import { trackEndpointHealth } from './endpoint-health';
import type { PostResult } from './post';
import { RETRY_WINDOW_MS, parseRetryAfter, retryDelayMs } from './schedule';

/**
 * Records the result of an attempt and queues what comes next: nothing after a success, a
 * 410 or the end of the 24-hour window, otherwise the retry at its scheduled time.
 */
export async function recordAttempt(trx: Transaction<Database>, claimed: Claimed, result: PostResult, deps: DeliveryDeps, now: Date): Promise<void> {
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
  let status: 'succeeded' | 'failed' | 'pending' = 'pending';
  if (succeeded) status = 'succeeded';
  else if (nextRetryAt === null) status = 'failed';

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

  const payload = { tenant_id: scope.tenantId, mode: scope.mode, delivery_id: delivery.id };
  if (nextRetryAt) await scheduleAttempt(trx, payload, nextRetryAt, backupDelayMs(deps.config));
  else await unscheduleDelivery(trx, delivery.id);

  const logFields = { tenant_id: scope.tenantId, endpoint_id: endpoint.id, delivery_id: delivery.id, event_id: delivery.event_id, attempt };
  if (succeeded) deps.log.info({ ...logFields, status_code: result.statusCode, duration_ms: result.durationMs }, 'webhook delivered');
  else deps.log.warn({ ...logFields, error: result.error, next_retry_at: nextRetryAt }, 'webhook attempt failed');

  await trackEndpointHealth(trx, scope, endpoint.id, { succeeded, gone, attemptAt: startedAt, now }, deps.log);
}

/** Returns the time of the next retry, or null when the 24-hour window from the first attempt is over. */
function nextRetryTime(attempt: number, firstAttemptAt: Date, result: PostResult, now: Date, random?: () => number): Date | null {
  const deadline = firstAttemptAt.getTime() + RETRY_WINDOW_MS;
  if (now.getTime() >= deadline) return null;
  const honoursRetryAfter = result.statusCode === 429 || result.statusCode === 503;
  const retryAfterMs = honoursRetryAfter ? parseRetryAfter(result.retryAfter, now) : undefined;
  // The last retry happens at the deadline, so an endpoint that recovers late still gets the event.
  return new Date(Math.min(now.getTime() + retryDelayMs(attempt, retryAfterMs, random), deadline));
}
