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
import { contractValidator } from './http/validation';
import type { Logger } from './log';

/** What handlers may use besides the request: shared across requests, created once per process. */
export interface AppServices {
  db: Kysely<Database>;
  config: Config;
  log: Logger;
  /** Pings the database; used by the readiness check. */
  checkDatabase(): Promise<boolean>;
}

/**
 * Builds the HTTP application. Middleware order: request id and logging, JSON body parsing,
 * API key authentication, contract validation, the generated routes, then 404 and the
 * problem-document error handler.
 */
export function createApp(services: AppServices): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', false);

  app.use(requestContext(services.log));
  app.use(express.json({ limit: services.config.bodyLimitBytes, strict: true, type: ['application/json', 'application/*+json'] }));
  app.use(apiKeyAuth(services.db, Object.values(operations)));
  app.use(contractValidator({ document: openApiDocument, validateResponses: services.config.validateResponses }));

  const router = express.Router();
  registerOperations(router, handlers, createBinder(services));
  app.use(router);

  app.use(routeNotFound);
  app.use(problemResponder);
  return app;
}
