import { loadConfig } from './config';
import { seedDevelopmentTenant } from './dev-seed';
import { startWorker } from './jobs/worker';
import { createLogger } from './log';
import { openRuntime } from './runtime';
import { listen } from './server';

/** `npm start`: the API and the background worker in one process. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const runtime = await openRuntime(config, log);

  const devKey = await seedDevelopmentTenant(runtime.db);
  // WORKER_CONCURRENCY=0 makes an API-only process; run workers elsewhere with `npx visitorflow worker`.
  const worker = config.workerConcurrency > 0 ? await startWorker({ pool: runtime.pool, db: runtime.db, config, log }) : undefined;
  const http = await listen(runtime, config.host, config.port);
  log.info({ url: http.url }, 'VisitorFlow API listening');

  if (devKey) {
    // Printed once, on the first start: only the key's hash is stored.
    process.stdout.write(
      [
        '',
        'Created a development tenant with location loc_mty_01 and host h_98412 in its test data.',
        'Its test API key is shown only this once:',
        '',
        `  export VISITORFLOW_API_KEY=${devKey}`,
        '',
        'Create more keys with: npx visitorflow keys create --tenant <tenant id> --mode test',
        '',
      ].join('\n'),
    );
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: no new connections, waiting for requests in flight');
    // Requests still running after the timeout are cut off so the process does exit.
    const deadline = setTimeout(() => http.server.closeAllConnections(), config.shutdownTimeoutMs);
    await http.close();
    clearTimeout(deadline);
    await worker?.stop();
    await runtime.close();
    log.info('stopped');
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutdown(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
