import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

import type { Kysely } from 'kysely';
import pg from 'pg';

import { loadConfig, REPO_ROOT, type Config } from '../server/src/config';
import { createDatabaseIfMissing } from '../server/src/db/connect';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../server/src/db/embedded';
import type { Database } from '../server/src/db/schema';
import { createLogger } from '../server/src/log';
import { openRuntime } from '../server/src/runtime';
import { listen } from '../server/src/server';

export interface FuzzServer {
  url: string;
  db: Kysely<Database>;
  close(): Promise<void>;
}

/**
 * Starts the API on 127.0.0.1 (a free port) against a database created for this run, with the
 * settings of the test server: response validation on, rate limit budgets no run reaches, no
 * background worker. Closing it drops the database.
 */
export async function startFuzzServer(): Promise<FuzzServer> {
  const log = createLogger(process.env.FUZZ_LOG_LEVEL ?? 'silent');
  let embedded: EmbeddedDatabase | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres(join(REPO_ROOT, '.data/test-postgres'), Number(process.env.TEST_EMBEDDED_POSTGRES_PORT ?? 54339), log);
    adminUrl = embedded.adminUrl;
  }
  const name = `visitorflow_fuzz_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await createDatabaseIfMissing(adminUrl, name);
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${name}`;

  const config: Config = {
    ...loadConfig({}),
    databaseUrl: databaseUrl.toString(),
    validateResponses: true,
    logLevel: process.env.FUZZ_LOG_LEVEL ?? 'silent',
    readsPerMinute: 1_000_000,
    writesPerMinute: 1_000_000,
    blobStorageDir: join(REPO_ROOT, '.data/fuzz-blobs', name),
  };
  const runtime = await openRuntime(config, log);
  const http = await listen(runtime, '127.0.0.1', 0);

  return {
    url: http.url,
    db: runtime.db,
    async close() {
      await http.close();
      await runtime.close();
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
      await embedded?.stop();
      await rm(config.blobStorageDir, { recursive: true, force: true });
    },
  };
}
