import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Kysely } from 'kysely';

import type { Config } from './config';
import type { Database } from './db/schema';
import { handlers } from './generated/handlers.gen';
import { operations, registerOperations } from './generated/operations.gen';
import { openApiDocument } from './generated/spec.gen';
import { authenticate } from './http/auth';
import { PHOTO_LIMIT_BYTES } from './checkin/photos';
import { createBinder } from './http/bind';
import { problemResponder, routeNotFound } from './http/errors';
import { requestContext } from './http/request-context';
import { cors } from './http/cors';
import { docsRouter } from './http/docs';
import { idempotency } from './http/idempotency';
import { requestTimeout } from './http/timeout';
import { contractValidator } from './http/validation';
import type { Sealer } from './crypto/sealing';
import type { RateLimiter } from './limits/limiter';
import type { BlobStorage } from './storage/blob-storage';
import { rateLimit } from './limits/middleware';
import type { Logger } from './log';
import type { SecretBox } from './webhooks/secret-box';

/** Once the server is stopping, every response closes its connection so shutdown is not held up by keep-alive. */
function closeConnectionsWhenStopping(req: Request, res: Response, next: NextFunction): void {
  if (req.app.locals.stopping) res.setHeader('connection', 'close');
  next();
}

/** What handlers may use besides the request: shared across requests, created once per process. */
export interface AppServices {
  db: Kysely<Database>;
  config: Config;
  log: Logger;
  limiter: RateLimiter;
  /** Encrypts webhook signing secrets for storage and decrypts them for signing. */
  secretBox: SecretBox;
  sealer: Sealer;
  blobs: BlobStorage;
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
  app.use(closeConnectionsWhenStopping);
  app.use(requestTimeout(config.requestTimeoutMs));
  if (config.corsOrigins.length > 0) app.use(cors(config.corsOrigins));
  app.use(docsRouter());
  app.use(express.json({ limit: config.bodyLimitBytes, strict: true, type: ['application/json', 'application/*+json'] }));
  // Kiosk photos arrive as raw JPEG or PNG bodies.
  app.use(express.raw({ limit: PHOTO_LIMIT_BYTES, type: ['image/jpeg', 'image/png'] }));
  app.use(authenticate(services.db, Object.values(operations)));
  app.use(rateLimit(services.limiter));
  app.use(contractValidator({ document: openApiDocument, validateResponses: config.validateResponses }));
  // A key stays locked well past the request timeout, because a timed-out handler may still finish.
  app.use(idempotency({ db: services.db, log: services.log, sealer: services.sealer, lockMs: config.requestTimeoutMs * 4 }));

  const router = express.Router();
  registerOperations(router, handlers, createBinder(services));
  app.use(router);

  app.use(routeNotFound);
  app.use(problemResponder);
  return app;
}
