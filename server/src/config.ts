import { resolve } from 'node:path';

/** The repository's root folder. The default data folder is inside it, and git ignores it. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** Settings read from the environment. Every field names its variable and default. */
export interface Config {
  /** `HOST`, default `127.0.0.1`. The address the HTTP server listens on. */
  host: string;
  /** `PORT`, default 8080. */
  port: number;
  /** `DATABASE_URL`. When unset, an embedded PostgreSQL under `dataDir` is used. */
  databaseUrl: string | undefined;
  /** `VISITORFLOW_DATA_DIR`, default `<repo>/.data`. Embedded database files and the .eml outbox. */
  dataDir: string;
  /** `EMBEDDED_POSTGRES_PORT`, default 54329. Only used when `DATABASE_URL` is unset. */
  embeddedPostgresPort: number;
  /** `SMTP_URL`, such as `smtp://127.0.0.1:2525`. When unset, emails are written as .eml files. */
  smtpUrl: string | undefined;
  /** `MAIL_FROM`, default `VisitorFlow <no-reply@visitorflow.invalid>`. */
  mailFrom: string;
  /** `LOG_LEVEL`, default `info`: one of trace, debug, info, warn, error, fatal, silent. */
  logLevel: string;
  /** `BODY_LIMIT_BYTES`, default 102400 (100 KiB). Larger request bodies get 413. */
  bodyLimitBytes: number;
  /** `VALIDATE_RESPONSES`, default false (the test suite turns it on). Checks every JSON response against openapi.yaml. */
  validateResponses: boolean;
  /** `WORKER_CONCURRENCY`, default 4. Background jobs run at once per process; 0 runs no worker in `npm start`. */
  workerConcurrency: number;
  /** `WORKER_TASKS`: comma-separated task names (send_email, deliver_webhook) a worker runs. Unset: every task. */
  workerTasks: string[] | undefined;
  /** `REDIS_URL`, such as `redis://127.0.0.1:6379`. When unset, each process limits on its own. */
  redisUrl: string | undefined;
  /** `REDIS_COMMAND_TIMEOUT_MS`, default 250. A slower Redis reply counts as an outage for that request. */
  redisCommandTimeoutMs: number;
  /** `RATE_LIMIT_READS_PER_MINUTE`, default 600. Default GET and HEAD budget per tenant and mode. */
  readsPerMinute: number;
  /** `RATE_LIMIT_WRITES_PER_MINUTE`, default 120. Default budget of other methods per tenant and mode. */
  writesPerMinute: number;
  /** `RATE_LIMIT_OVERRIDE_TTL_MS`, default 5000. How soon a changed tenant override takes effect. */
  rateLimitOverrideTtlMs: number;
  /** `REQUEST_TIMEOUT_MS`, default 30000. A request still running after this gets 503. */
  requestTimeoutMs: number;
  /** `SHUTDOWN_TIMEOUT_MS`, default 10000. How long SIGTERM waits for in-flight requests. */
  shutdownTimeoutMs: number;
  /** `CORS_ORIGINS`: comma-separated origins allowed to call from a browser, or `*`. Unset: CORS is off. */
  corsOrigins: string[];
  /**
   * `ALLOW_PRIVATE_WEBHOOK_URLS`, default false. For local development and tests only: allows
   * webhook URLs with plain http and hosts on private, loopback or link-local addresses.
   */
  allowPrivateWebhookUrls: boolean;
  /**
   * `WEBHOOK_SECRET_KEY`: 32 bytes, base64-encoded, that encrypt webhook signing secrets at
   * rest. When unset, a key is generated into `<dataDir>/webhook-secret.key` (development only).
   */
  webhookSecretKey: string | undefined;
  /** `WEBHOOK_TIMEOUT_MS`, default 15000. A webhook attempt without a complete 2xx response by then fails. */
  webhookTimeoutMs: number;
  /** `WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT`, default 2. Attempts to one endpoint at once, across all workers. */
  webhookMaxInFlightPerEndpoint: number;
  /** `VISITORFLOW_SECRET_KEY`: 32 bytes in base64 that encrypt stored signing keys. Unset: a key file in the data folder. */
  secretKey: string | undefined;
  /** `BLOB_STORAGE_DIR`, default `<data folder>/blobs`. Visit photos and drawn signatures. */
  blobStorageDir: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    host: env.HOST || '127.0.0.1',
    port: integer(env, 'PORT', 8080),
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.VISITORFLOW_DATA_DIR || resolve(REPO_ROOT, '.data')),
    embeddedPostgresPort: integer(env, 'EMBEDDED_POSTGRES_PORT', 54329),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'VisitorFlow <no-reply@visitorflow.invalid>',
    logLevel: env.LOG_LEVEL || 'info',
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 100 * 1024),
    validateResponses: env.VALIDATE_RESPONSES === 'true',
    workerConcurrency: integer(env, 'WORKER_CONCURRENCY', 4),
    workerTasks: env.WORKER_TASKS ? env.WORKER_TASKS.split(',').map((task) => task.trim()).filter((task) => task !== '') : undefined,
    redisUrl: env.REDIS_URL || undefined,
    redisCommandTimeoutMs: integer(env, 'REDIS_COMMAND_TIMEOUT_MS', 250),
    readsPerMinute: positive(env, 'RATE_LIMIT_READS_PER_MINUTE', 600),
    writesPerMinute: positive(env, 'RATE_LIMIT_WRITES_PER_MINUTE', 120),
    rateLimitOverrideTtlMs: integer(env, 'RATE_LIMIT_OVERRIDE_TTL_MS', 5000),
    requestTimeoutMs: positive(env, 'REQUEST_TIMEOUT_MS', 30_000),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000),
    secretKey: env.VISITORFLOW_SECRET_KEY || undefined,
    blobStorageDir: resolve(env.BLOB_STORAGE_DIR || resolve(env.VISITORFLOW_DATA_DIR || resolve(REPO_ROOT, '.data'), 'blobs')),
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter((origin) => origin !== ''),
    allowPrivateWebhookUrls: env.ALLOW_PRIVATE_WEBHOOK_URLS === 'true',
    webhookSecretKey: env.WEBHOOK_SECRET_KEY || undefined,
    webhookTimeoutMs: positive(env, 'WEBHOOK_TIMEOUT_MS', 15_000),
    webhookMaxInFlightPerEndpoint: positive(env, 'WEBHOOK_MAX_IN_FLIGHT_PER_ENDPOINT', 2),
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}".`);
  }
  return value;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = integer(env, name, fallback);
  if (value === 0) throw new Error(`${name} must be greater than 0.`);
  return value;
}
