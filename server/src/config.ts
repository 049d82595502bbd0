import { resolve } from 'node:path';

/** Where the repository lives; the default data folder is inside it, and git ignores it. */
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
  /** `BODY_LIMIT_BYTES`, default 102400 (100 KiB). Larger request bodies answer 413. */
  bodyLimitBytes: number;
  /** `VALIDATE_RESPONSES`, default false (the test suite turns it on). Checks every JSON response against openapi.yaml. */
  validateResponses: boolean;
  /** `WORKER_CONCURRENCY`, default 4. Background jobs run at once per process. */
  workerConcurrency: number;
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
