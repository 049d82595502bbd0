import type { Kysely, Transaction } from 'kysely';

import type { Config } from '../config';
import type { Database } from '../db/schema';
import { dequeue, enqueue, type TaskPayloads } from '../jobs/queue';

/**
 * Each pending delivery has two queued jobs: the attempt job, due when the next attempt is,
 * and a backup job due after that attempt should have finished. graphile-worker keeps a job
 * locked for 4 hours when the worker running it dies, so the backup is what resumes a
 * delivery whose worker was killed, whether before or during its HTTP request. Whichever job
 * runs first does the attempt; the other then finds the delivery in flight or done.
 */
export function deliveryJobKey(deliveryId: string): string {
  return `webhook_delivery:${deliveryId}`;
}

export function deliveryBackupJobKey(deliveryId: string): string {
  return `webhook_delivery_backup:${deliveryId}`;
}

/** How long after the first attempt is due the backup job of a new delivery runs. */
export const FIRST_BACKUP_DELAY_MS = 20_000;

/** How long after an attempt's timeout the backup job takes over a delivery whose worker died. */
const TAKEOVER_MARGIN_MS = 5_000;

/** Returns the time from the start of an attempt until its backup job may run. */
export function backupDelayMs(config: Pick<Config, 'webhookTimeoutMs'>): number {
  return config.webhookTimeoutMs + TAKEOVER_MARGIN_MS;
}

type Executor = Transaction<Database> | Kysely<Database>;
type Payload = TaskPayloads['deliver_webhook'];

/** Queues the attempt at `runAt` and its backup `backupAfterMs` later, replacing earlier jobs. */
export async function scheduleAttempt(trx: Executor, payload: Payload, runAt: Date, backupAfterMs: number): Promise<void> {
  await enqueue(trx, 'deliver_webhook', payload, deliveryJobKey(payload.delivery_id), runAt);
  await enqueue(trx, 'deliver_webhook', payload, deliveryBackupJobKey(payload.delivery_id), new Date(runAt.getTime() + backupAfterMs));
}

/** Moves the backup job to `runAt`, when an attempt that started now has surely finished. */
export async function scheduleBackup(trx: Executor, payload: Payload, runAt: Date): Promise<void> {
  await enqueue(trx, 'deliver_webhook', payload, deliveryBackupJobKey(payload.delivery_id), runAt);
}

/** Removes both jobs of a delivery that is done. */
export async function unscheduleDelivery(trx: Executor, deliveryId: string): Promise<void> {
  await dequeue(trx, deliveryJobKey(deliveryId));
  await dequeue(trx, deliveryBackupJobKey(deliveryId));
}
