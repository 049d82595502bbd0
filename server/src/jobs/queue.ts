import { sql, type Kysely, type Transaction } from 'kysely';

import type { Database } from '../db/schema';

/** Payloads of the background tasks, by task name. */
export interface TaskPayloads {
  send_email: { tenant_id: string; mode: 'live' | 'test'; email_id: string };
  deliver_webhook: { tenant_id: string; mode: 'live' | 'test'; delivery_id: string };
}

/**
 * Adds a job to graphile-worker's queue inside the caller's transaction, so the job exists
 * exactly when the change that caused it commits. `jobKey` makes a second add of the same
 * job replace the first rather than queue a duplicate. When the first is already running,
 * graphile-worker clears its key and queues the new one. `runAt` delays the job.
 */
export async function enqueue<Task extends keyof TaskPayloads>(
  trx: Transaction<Database> | Kysely<Database>,
  task: Task,
  payload: TaskPayloads[Task],
  jobKey: string,
  runAt?: Date,
): Promise<void> {
  await sql`select graphile_worker.add_job(
    identifier => ${task}::text,
    payload => ${JSON.stringify(payload)}::json,
    job_key => ${jobKey}::text,
    run_at => ${runAt ?? null}::timestamptz,
    max_attempts => 25
  )`.execute(trx);
}

/** Removes the job of `jobKey` unless it is running; a running one only loses its key and its retries. */
export async function dequeue(trx: Transaction<Database> | Kysely<Database>, jobKey: string): Promise<void> {
  await sql`select graphile_worker.remove_job(${jobKey}::text)`.execute(trx);
}
