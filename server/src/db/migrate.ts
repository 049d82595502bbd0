import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { runMigrations as runWorkerMigrations } from 'graphile-worker';

import type pg from 'pg';

import type { Logger } from '../log';
import * as core from './migrations/0001-core';
import * as limitsAndIdempotency from './migrations/0002-limits-idempotency';
import * as kiosksAndPreRegistrations from './migrations/0003-kiosks-pre-registrations';
import * as eventsWebhooksIncidents from './migrations/0004-events-webhooks-incidents';
import type { Database } from './schema';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-core': core,
  '0002-limits-idempotency': limitsAndIdempotency,
  '0003-kiosks-pre-registrations': kiosksAndPreRegistrations,
  '0004-events-webhooks-incidents': eventsWebhooksIncidents,
};

const provider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};

/**
 * Brings the schema up to date: this app's tables (Kysely's Migrator, which takes a lock so
 * concurrent starts are safe) and graphile-worker's queue schema.
 */
export async function migrateToLatest(db: Kysely<Database>, pool: pg.Pool, log: Logger): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  for (const result of results ?? []) {
    if (result.status === 'Success') log.info({ migration: result.migrationName }, 'migration applied');
    if (result.status === 'Error') log.error({ migration: result.migrationName }, 'migration failed');
  }
  if (error) throw error;

  await runWorkerMigrations({ pgPool: pool });
}
