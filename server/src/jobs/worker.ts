import { Logger as WorkerLogger, run, type Runner, type TaskList } from 'graphile-worker';
import type { Kysely } from 'kysely';
import type pg from 'pg';

import type { Config } from '../config';
import type { Database } from '../db/schema';
import type { Logger } from '../log';
import { loadSealer } from '../crypto/sealing';
import { createMailer } from './mailer';
import type { TaskPayloads } from './queue';
import { sendEmail } from './send-email';
import { deliverWebhook } from '../webhooks/deliver';
import { loadSecretBox } from '../webhooks/secret-box';

export interface WorkerHandle {
  stop(): Promise<void>;
}

/**
 * Starts graphile-worker on the app's pool. It polls PostgreSQL for due jobs and also wakes
 * on LISTEN/NOTIFY, so a job added by a request usually starts within milliseconds.
 */
export async function startWorker(options: {
  pool: pg.Pool;
  db: Kysely<Database>;
  config: Config;
  log: Logger;
  /** Runs only these tasks and leaves other jobs to other workers. Default: every task. */
  tasks?: (keyof TaskPayloads)[];
}): Promise<WorkerHandle> {
  const { pool, db, config } = options;
  const log = options.log.child({ component: 'worker' });
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir, log });
  const sealer = await loadSealer({ secretKey: config.secretKey, dataDir: config.dataDir, log });

  const secretBox = await loadSecretBox(config, log);

  const allTasks: TaskList = {
    send_email: async (payload) => sendEmail(payload as TaskPayloads['send_email'], { db, mailer, sealer, log }),
    deliver_webhook: async (payload) => {
      await deliverWebhook(payload as TaskPayloads['deliver_webhook'], { db, config, secretBox, log });
    },
  };

  const only = options.tasks ?? config.workerTasks;
  const unknown = (only ?? []).filter((name) => !(name in allTasks));
  if (unknown.length > 0) throw new Error(`Unknown worker task(s) ${unknown.join(', ')} in WORKER_TASKS; known: ${Object.keys(allTasks).join(', ')}.`);
  const taskList: TaskList = only ? Object.fromEntries(only.map((name) => [name, allTasks[name as keyof TaskPayloads]!])) : allTasks;

  const runner: Runner = await run({
    pgPool: pool,
    concurrency: config.workerConcurrency,
    noHandleSignals: true,
    pollInterval: 1_000,
    taskList,
    logger: new WorkerLogger((scope) => (level, message, meta) => {
      const fields = { ...scope, ...meta };
      if (level === 'error') log.error(fields, message);
      else if (level === 'warning') log.warn(fields, message);
      else log.debug(fields, message);
    }),
  });
  log.info({ concurrency: config.workerConcurrency }, 'background worker started');

  return {
    async stop() {
      await runner.stop();
      mailer.close();
      log.info('background worker stopped');
    },
  };
}
