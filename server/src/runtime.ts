import { Redis } from 'ioredis';
import { sql, type Kysely } from 'kysely';
import type pg from 'pg';

import type { Config } from './config';
import { openDatabase, resolveDatabase } from './db/connect';
import { migrateToLatest } from './db/migrate';
import type { Database } from './db/schema';
import type { AppServices } from './app';
import { loadSealer } from './crypto/sealing';
import { RateLimiter } from './limits/limiter';
import { DiskBlobStorage } from './storage/blob-storage';
import type { Logger } from './log';
import { loadSecretBox } from './webhooks/secret-box';

export interface Runtime {
  db: Kysely<Database>;
  pool: pg.Pool;
  connectionString: string;
  redis: Redis | undefined;
  services: AppServices;
  /** Closes Redis and the pool, then stops the embedded database if this process started it. */
  close(): Promise<void>;
}

/**
 * Connects to Redis without ever queueing commands behind a dead connection: with the offline
 * queue off, a command fails at once while disconnected, and `commandTimeout` bounds a slow
 * reply, so the limiter falls back to per-process limits instead of stalling requests.
 * Reconnection keeps going in the background.
 */
function connectRedis(url: string, commandTimeoutMs: number, log: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Connection errors repeat on every reconnect attempt; the limiter logs the outage once.
  redis.on('error', (error) => log.debug({ err: error }, 'redis connection error'));
  return redis;
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

  const redis = config.redisUrl ? connectRedis(config.redisUrl, config.redisCommandTimeoutMs, log) : undefined;
  const limiter = new RateLimiter({
    db,
    log,
    redis,
    defaults: { readsPerMinute: config.readsPerMinute, writesPerMinute: config.writesPerMinute },
    overrideTtlMs: config.rateLimitOverrideTtlMs,
  });

  const secretBox = await loadSecretBox(config, log);
  const sealer = await loadSealer({ secretKey: config.secretKey, dataDir: config.dataDir, log });
  const services: AppServices = {
    db,
    config,
    log,
    limiter,
    secretBox,
    sealer,
    blobs: new DiskBlobStorage(config.blobStorageDir),
    async checkRedis() {
      if (!redis) return 'not_configured';
      try {
        await redis.ping();
        return 'ok';
      } catch {
        return 'unavailable';
      }
    },
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
    redis,
    services,
    async close() {
      redis?.disconnect();
      await destroy();
      await target.release();
    },
  };
}
