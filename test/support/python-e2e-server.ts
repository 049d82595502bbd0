/**
 * Starts the API for the Python SDK's end-to-end tests, which spawn this script with
 * `node --import tsx test/support/python-e2e-server.ts`.
 *
 * It listens on 127.0.0.1 with a free port, creates a tenant with its keys and the reference
 * location and host (`loc_mty_01`, `h_98412`), prints one JSON line with the URL and the keys,
 * and serves until its stdin closes. A worker that runs only webhook deliveries sends them, and
 * webhook URLs on 127.0.0.1 are allowed, for the tests' receiver. The database is `VISITORFLOW_E2E_DATABASE_URL` when set,
 * which the vitest run passes after migrating it. Without it, the script creates a fresh
 * database on the server of `DATABASE_URL` (or the embedded test PostgreSQL) and drops it on exit.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import pg from 'pg';

import { loadConfig, REPO_ROOT, type Config } from '../../server/src/config';
import { createDatabaseIfMissing, openDatabase } from '../../server/src/db/connect';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/src/db/embedded';
import { migrateToLatest } from '../../server/src/db/migrate';
import { createLogger } from '../../server/src/log';
import { startWorker } from '../../server/src/jobs/worker';
import { openRuntime } from '../../server/src/runtime';
import { listen } from '../../server/src/server';
import { createTenant } from '../../server/src/tenants';

const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'warn');

interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Uses the database the caller passed, or creates and migrates a fresh one. */
async function openTestDatabase(): Promise<TestDatabase> {
  const given = process.env.VISITORFLOW_E2E_DATABASE_URL;
  if (given) return { url: given, drop: async () => {} };

  let embedded: EmbeddedDatabase | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const port = Number(process.env.TEST_EMBEDDED_POSTGRES_PORT ?? 54339);
    embedded = await startEmbeddedPostgres(join(REPO_ROOT, '.data/test-postgres'), port, log);
    adminUrl = embedded.adminUrl;
  }
  const name = `visitorflow_python_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await createDatabaseIfMissing(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const { db, pool } = openDatabase(url.toString(), log);
  await migrateToLatest(db, pool, log);
  await db.destroy();

  return {
    url: url.toString(),
    async drop() {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
      await embedded?.stop();
    },
  };
}

/** Creates the reference location and host through the API, as an integrator would. */
async function seedReferenceDirectory(url: string, key: string): Promise<void> {
  const seeds: [string, unknown][] = [
    ['/v1/locations', { id: 'loc_mty_01', name: 'Monterrey Plant 1', timezone: 'America/Monterrey', locale: 'es-MX' }],
    ['/v1/hosts', { id: 'h_98412', name: 'Laura Garza', email: 'laura.garza@acme.com', location_id: 'loc_mty_01' }],
  ];
  for (const [path, body] of seeds) {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) throw new Error(`Seeding ${path} failed: ${response.status} ${await response.text()}`);
  }
}

async function main(): Promise<void> {
  const database = await openTestDatabase();
  const config: Config = {
    ...loadConfig({}),
    databaseUrl: database.url,
    validateResponses: true,
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    readsPerMinute: 1_000_000,
    writesPerMinute: 1_000_000,
    // The tests' webhook receiver listens on 127.0.0.1.
    allowPrivateWebhookUrls: true,
  };
  const runtime = await openRuntime(config, createLogger(config.logLevel));
  const http = await listen(runtime, '127.0.0.1', 0);
  // Only webhook deliveries: the database may be the vitest run's, whose email jobs belong to
  // test files that wait on their own mailboxes.
  const worker = await startWorker({ pool: runtime.pool, db: runtime.db, config, log: createLogger(config.logLevel), tasks: ['deliver_webhook'] });
  const { tenant, keys } = await createTenant(runtime.db, 'Python SDK end-to-end');
  await seedReferenceDirectory(http.url, keys.test.secret);

  process.stdout.write(`${JSON.stringify({ url: http.url, tenant_id: tenant.id, api_key: keys.test.secret, live_api_key: keys.live.secret })}\n`);

  // The test session keeps stdin open. Shut down when it closes stdin (or exits) or sends SIGTERM.
  process.stdin.resume();
  await new Promise<void>((resolve) => {
    process.stdin.once('close', resolve);
    process.once('SIGTERM', resolve);
  });
  await http.close();
  await worker.stop();
  await runtime.close();
  await database.drop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
