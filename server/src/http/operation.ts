import type { Request, Response } from 'express';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import type { Logger } from '../log';
import type { AppServices } from '../app';

/** Run-time facts about one operation of openapi.yaml. */
export interface OperationMeta {
  id: string;
  method: string;
  path: string;
  /** Security schemes any one of which authorizes the call; empty for a public route. */
  securitySchemes: readonly string[];
  successStatuses: readonly number[];
}

/** Live and test data of a tenant are separate; every query is scoped by both. */
export type Mode = 'live' | 'test';

export interface TenantScope {
  tenantId: string;
  mode: Mode;
}

/** The caller, as established by its API key. */
export interface ApiKeyAuth {
  kind: 'api_key';
  keyId: string;
  scope: TenantScope;
}

/** A paired kiosk, as established by its device token; it acts only at its own location. */
export interface KioskAuth {
  kind: 'kiosk';
  kioskId: string;
  locationId: string;
  scope: TenantScope;
}

/** The caller's type for each security scheme of openapi.yaml, by scheme name. */
export interface AuthSchemes {
  apiKey: ApiKeyAuth;
  kioskToken: KioskAuth;
}

/** Request and result types of one operation, as emitted into operations.gen.ts. */
export interface OperationShape {
  params: object;
  query: object;
  body: unknown;
  auth: AuthSchemes[keyof AuthSchemes] | null;
  result: { status: number };
}

/** The context a handler receives: validated input, the caller, and the services it may use. */
export interface HandlerContext<Types extends OperationShape> {
  operation: OperationMeta;
  params: Types['params'];
  query: Types['query'];
  body: Types['body'];
  /** The authenticated caller; null on public routes. */
  auth: Types['auth'];
  requestId: string;
  log: Logger;
  db: Kysely<Database>;
  services: AppServices;
  req: Request;
  res: Response;
}

export type OperationHandler<Types extends OperationShape> = (c: HandlerContext<Types>) => Promise<Types['result']>;
