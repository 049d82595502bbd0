import { createHash } from 'node:crypto';

import type { NextFunction, Request, Response } from 'express';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import type { OperationMeta } from './operation';
import { unauthorized } from './problem';
import { requestState } from './request-context';

const API_KEY = /^vfp_(live|test)_[A-Za-z0-9]{20,100}$/;

/** Hex SHA-256 of an API key secret: what the database stores instead of the secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Authenticates API keys on every route that openapi.yaml does not mark public. Routes that
 * match no operation are left alone, so they answer 404 rather than 401.
 */
export function apiKeyAuth(db: Kysely<Database>, operations: readonly OperationMeta[]) {
  const matchers = operations.map((operation) => ({ operation, pattern: pathPattern(operation.path) }));

  return async function authenticate(req: Request, res: Response, next: NextFunction): Promise<void> {
    const candidates = matchers.filter((m) => m.pattern.test(req.path));
    if (candidates.length === 0 || candidates.every((m) => m.operation.securitySchemes.length === 0)) {
      next();
      return;
    }

    const header = req.get('authorization');
    if (!header) throw unauthorized('Pass an API key as `Authorization: Bearer vfp_live_…` or `Bearer vfp_test_…`.');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const secret = match?.[1];
    if (!secret || !API_KEY.test(secret)) {
      throw unauthorized('The Authorization header must be `Bearer ` followed by an API key that starts with vfp_live_ or vfp_test_.');
    }

    const key = await db
      .selectFrom('api_keys')
      .select(['id', 'tenant_id', 'mode', 'revoked_at'])
      .where('secret_hash', '=', hashSecret(secret))
      .executeTakeFirst();
    if (!key || key.revoked_at !== null) throw unauthorized('This API key does not exist or has been revoked.');

    requestState(res).auth = { kind: 'api_key', keyId: key.id, scope: { tenantId: key.tenant_id, mode: key.mode } };
    next();
  };
}

/** Builds a regular expression matching the concrete paths of an OpenAPI path template. */
function pathPattern(template: string): RegExp {
  const escaped = template
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${escaped}/?$`);
}
