import type { Kysely } from 'kysely';
import type pg from 'pg';
import { sql } from 'kysely';

import type { Config } from './config';
import { openDatabase, resolveDatabase } from './db/connect';
import { migrateToLatest } from './db/migrate';
import type { Database } from './db/schema';
import type { AppServices } from './app';
import type { Logger } from './log';

export interface Runtime {
  db: Kysely<Database>;
  pool: pg.Pool;
  connectionString: string;
  services: AppServices;
  /** Closes the pool, then stops the embedded database if this process started it. */
  close(): Promise<void>;
}

/** Connects to the database (starting the embedded one when `DATABASE_URL` is unset) and migrates it. */
export async function openRuntime(config: Config, log: Logger): Promise<Runtime> {
  const target = await resolveDatabase(config, log);
  const { db, pool, destroy } = openDatabase(target.connectionString, log);
  try {
    await migrateToLatest(db, pool, log);
  } catch (error) {
    await destroy();
    await target.release();
    throw error;
  }

  const services: AppServices = {
    db,
    config,
    log,
    async checkDatabase() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
  };

  return {
    db,
    pool,
    connectionString: target.connectionString,
    services,
    async close() {
      await destroy();
      await target.release();
    },
  };
}
