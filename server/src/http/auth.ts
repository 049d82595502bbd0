import { createHash } from 'node:crypto';

import type { NextFunction, Request, Response } from 'express';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import type { ApiKeyAuth, KioskAuth, OperationMeta } from './operation';
import { unauthorized } from './problem';
import { requestState } from './request-context';

const API_KEY = /^vfp_(live|test)_[A-Za-z0-9]{20,100}$/;
const DEVICE_TOKEN = /^vfk_[A-Za-z0-9]{20,100}$/;
// last_seen_at is written at most this often per kiosk, so each request does not cost a write.
const LAST_SEEN_RESOLUTION_MS = 60_000;

/** Hex SHA-256 of a credential: what the database stores instead of the secret. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Authenticates every route that openapi.yaml does not mark public, with the scheme the route
 * takes: API keys (`vfp_…`) on the admin API and kiosk device tokens (`vfk_…`) on
 * `/v1/kiosk/*`. The other kind of credential is rejected with 401 either way. Routes that
 * match no operation are left alone, so they get 404 rather than 401.
 */
export function authenticate(db: Kysely<Database>, operations: readonly OperationMeta[]) {
  const matchers = operations.map((operation) => ({ operation, pattern: pathPattern(operation.path) }));

  return async function authenticateRequest(req: Request, res: Response, next: NextFunction): Promise<void> {
    const candidates = matchers.filter((m) => m.pattern.test(req.path));
    const schemes = new Set(candidates.flatMap((m) => m.operation.securitySchemes));
    if (candidates.length === 0 || schemes.size === 0) {
      next();
      return;
    }

    const takesKiosk = schemes.has('kioskToken');
    const header = req.get('authorization');
    const secret = header ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
    if (!secret) {
      throw unauthorized(takesKiosk ? 'Pass the kiosk device token as `Authorization: Bearer vfk_…`.' : 'Pass an API key as `Authorization: Bearer vfp_live_…` or `Bearer vfp_test_…`.');
    }

    if (takesKiosk) {
      if (!DEVICE_TOKEN.test(secret)) throw unauthorized('Kiosk routes take a kiosk device token (vfk_…), not an API key.');
      requestState(res).auth = await kioskFor(db, secret);
    } else {
      if (!API_KEY.test(secret)) throw unauthorized('This route takes an API key that starts with vfp_live_ or vfp_test_.');
      requestState(res).auth = await apiKeyFor(db, secret);
    }
    next();
  };
}

async function apiKeyFor(db: Kysely<Database>, secret: string): Promise<ApiKeyAuth> {
  const key = await db
    .selectFrom('api_keys')
    .select(['id', 'tenant_id', 'mode', 'revoked_at'])
    .where('secret_hash', '=', hashSecret(secret))
    .executeTakeFirst();
  if (!key || key.revoked_at !== null) throw unauthorized('This API key does not exist or has been revoked.');
  return { kind: 'api_key', keyId: key.id, scope: { tenantId: key.tenant_id, mode: key.mode } };
}

async function kioskFor(db: Kysely<Database>, secret: string): Promise<KioskAuth> {
  const credential = await db
    .selectFrom('kiosk_credentials')
    .select(['tenant_id', 'mode', 'kiosk_id'])
    .where('secret_hash', '=', hashSecret(secret))
    .where('kind', '=', 'device_token')
    .executeTakeFirst();
  if (!credential) throw unauthorized('This device token does not exist or its kiosk has been revoked or paired again.');

  const kiosk = await db
    .selectFrom('kiosks')
    .select(['id', 'location_id', 'status', 'last_seen_at'])
    .where('tenant_id', '=', credential.tenant_id)
    .where('mode', '=', credential.mode)
    .where('id', '=', credential.kiosk_id)
    .executeTakeFirst();
  if (!kiosk || kiosk.status !== 'active') throw unauthorized('This kiosk has been revoked.');

  const now = new Date();
  if (!kiosk.last_seen_at || now.getTime() - kiosk.last_seen_at.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await db
      .updateTable('kiosks')
      .set({ last_seen_at: now })
      .where('tenant_id', '=', credential.tenant_id)
      .where('mode', '=', credential.mode)
      .where('id', '=', kiosk.id)
      .execute();
  }
  return { kind: 'kiosk', kioskId: kiosk.id, locationId: kiosk.location_id, scope: { tenantId: credential.tenant_id, mode: credential.mode } };
}

/** Builds a regular expression matching the concrete paths of an OpenAPI path template. */
function pathPattern(template: string): RegExp {
  const escaped = template
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${escaped}/?$`);
}
