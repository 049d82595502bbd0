import express, { type Express } from 'express';
import type { Kysely } from 'kysely';

import type { Config } from './config';
import type { Database } from './db/schema';
import { handlers } from './generated/handlers.gen';
import { operations, registerOperations } from './generated/operations.gen';
import { openApiDocument } from './generated/spec.gen';
import { apiKeyAuth } from './http/auth';
import { createBinder } from './http/bind';
import { problemResponder, routeNotFound } from './http/errors';
import { requestContext } from './http/request-context';
import { cors } from './http/cors';
import { idempotency } from './http/idempotency';
import { requestTimeout } from './http/timeout';
import { contractValidator } from './http/validation';
import type { RateLimiter } from './limits/limiter';
import { rateLimit } from './limits/middleware';
import type { Logger } from './log';
import type { SecretBox } from './webhooks/secret-box';

/** What handlers may use besides the request: shared across requests, created once per process. */
export interface AppServices {
  db: Kysely<Database>;
  config: Config;
  log: Logger;
  limiter: RateLimiter;
  /** Encrypts webhook signing secrets for storage and decrypts them for signing. */
  secretBox: SecretBox;
  /** Pings the database; used by the readiness check. */
  checkDatabase(): Promise<boolean>;
  /** Pings Redis: 'ok', 'unavailable', or 'not_configured' when `REDIS_URL` is unset. */
  checkRedis(): Promise<'ok' | 'unavailable' | 'not_configured'>;
}

/**
 * Builds the HTTP application. Middleware order: request id and logging, request timeout,
 * CORS, JSON body parsing, API key authentication, the tenant's rate limit, contract
 * validation, idempotency keys, the generated routes, then 404 and the problem-document
 * error handler.
 */
export function createApp(services: AppServices): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', false);

  const { config } = services;
  app.use(requestContext(services.log));
  app.use(requestTimeout(config.requestTimeoutMs));
  if (config.corsOrigins.length > 0) app.use(cors(config.corsOrigins));
  app.use(express.json({ limit: config.bodyLimitBytes, strict: true, type: ['application/json', 'application/*+json'] }));
  app.use(apiKeyAuth(services.db, Object.values(operations)));
  app.use(rateLimit(services.limiter));
  app.use(contractValidator({ document: openApiDocument, validateResponses: config.validateResponses }));
  app.use(idempotency({ db: services.db, log: services.log, lockMs: config.requestTimeoutMs }));

  const router = express.Router();
  registerOperations(router, handlers, createBinder(services));
  app.use(router);

  app.use(routeNotFound);
  app.use(problemResponder);
  return app;
}
