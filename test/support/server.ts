import { inject } from 'vitest';

import { loadConfig, type Config } from '../../server/src/config';
import { startWorker, type WorkerHandle } from '../../server/src/jobs/worker';
import { createLogger } from '../../server/src/log';
import { openRuntime, type Runtime } from '../../server/src/runtime';
import { listen } from '../../server/src/server';
import { ApiClient } from './client';

export interface TestServer {
  url: string;
  runtime: Runtime;
  /** A client for `key`, checking every response against openapi.yaml. */
  client(key?: string): ApiClient;
  close(): Promise<void>;
}

/**
 * Starts the API on 127.0.0.1 with a free port against this run's database, with response
 * validation on. The background worker runs only when asked for; `worker: 'webhooks'` runs only
 * webhook deliveries, so it takes no email job of a test file that waits on its own mailbox.
 */
export async function startTestServer(options: { worker?: boolean | 'webhooks'; config?: Partial<Config> } = {}): Promise<TestServer> {
  const config: Config = {
    ...loadConfig({}),
    databaseUrl: inject('databaseUrl'),
    validateResponses: true,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    // Budgets no ordinary test reaches; the rate limit tests pass their own.
    readsPerMinute: 1_000_000,
    writesPerMinute: 1_000_000,
    // Webhook receivers in tests listen on 127.0.0.1. Every test worker needs this, because a
    // worker started by one test file also runs the delivery jobs of the others.
    allowPrivateWebhookUrls: true,
    ...options.config,
  };
  const log = createLogger(config.logLevel);
  const runtime = await openRuntime(config, log);
  const http = await listen(runtime, '127.0.0.1', 0);
  let worker: WorkerHandle | undefined;
  if (options.worker) {
    const tasks = options.worker === 'webhooks' ? (['deliver_webhook'] as const) : undefined;
    worker = await startWorker({ pool: runtime.pool, db: runtime.db, config, log, tasks: tasks && [...tasks] });
  }

  return {
    url: http.url,
    runtime,
    client: (key?: string) => new ApiClient(http.url, key),
    async close() {
      await http.close();
      await worker?.stop();
      await runtime.close();
    },
  };
}
