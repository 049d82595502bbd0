import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

import type { Config } from '../config';
import type { Logger } from '../log';
import { startEmbeddedPostgres } from './embedded';
import type { Database } from './schema';
import { join } from 'node:path';

// Return timestamptz and int8 in a stable way: Date objects for timestamps (pg's default) and
// numbers for counts, which stay far below 2^53 here.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export const EMBEDDED_DATABASE_NAME = 'visitorflow';

export interface DatabaseTarget {
  connectionString: string;
  /** Releases what was started to reach the database (the embedded server); a no-op otherwise. */
  release(): Promise<void>;
}

/** Uses `DATABASE_URL` when set; otherwise starts the embedded PostgreSQL and its `visitorflow` database. */
export async function resolveDatabase(config: Config, log: Logger): Promise<DatabaseTarget> {
  if (config.databaseUrl) return { connectionString: config.databaseUrl, release: async () => {} };

  const embedded = await startEmbeddedPostgres(join(config.dataDir, 'postgres'), config.embeddedPostgresPort, log);
  await createDatabaseIfMissing(embedded.adminUrl, EMBEDDED_DATABASE_NAME);
  const url = new URL(embedded.adminUrl);
  url.pathname = `/${EMBEDDED_DATABASE_NAME}`;
  return { connectionString: url.toString(), release: () => embedded.stop() };
}

/** Creates a database on the server of `adminUrl` unless one of that name exists. */
export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const existing = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (existing.rowCount === 0) await client.query(`create database "${name.replaceAll('"', '""')}"`);
  } catch (error) {
    // Two processes starting at once may both try, and the second gets duplicate_database (42P04).
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  pool: pg.Pool;
  destroy(): Promise<void>;
}

export function openDatabase(connectionString: string, log: Logger, maxConnections = 10): DatabaseHandle {
  const pool = new pg.Pool({ connectionString, max: maxConnections, connectionTimeoutMillis: 5_000 });
  // An idle client that loses its connection (a database restart) emits here; without a
  // listener the process would crash. The pool replaces the client on the next checkout.
  pool.on('error', (error) => log.warn({ err: error }, 'idle database connection lost'));
  pool.on('connect', (client) => client.on('error', (error) => log.warn({ err: error }, 'database connection lost')));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool, destroy: () => db.destroy() };
}
