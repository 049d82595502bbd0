import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { Sealer } from '../crypto/sealing';
import type { Database } from '../db/schema';
import type { Mode } from '../http/operation';
import { newId } from '../ids';

/**
 * The QR token of a pre-registration: `v1.<payload>.<signature>`, both base64url. The payload
 * is compact JSON naming the tenant (`t`), mode (`m`), pre-registration (`p`), signing key
 * (`k`) and validity in unix seconds (`nb`, `ex`). The signature is HMAC-SHA256 over
 * `v1.<payload>` with the tenant's key. Everything the kiosk must check is in the database
 * too, so the token only has to prove that this server issued it.
 */
export interface TokenClaims {
  tenantId: string;
  mode: Mode;
  preRegistrationId: string;
  keyId: string;
  notBefore: Date;
  expiresAt: Date;
}

export function signToken(claims: TokenClaims, key: Buffer): string {
  const payload = Buffer.from(
    JSON.stringify({
      t: claims.tenantId,
      m: claims.mode,
      p: claims.preRegistrationId,
      k: claims.keyId,
      nb: Math.floor(claims.notBefore.getTime() / 1000),
      ex: Math.floor(claims.expiresAt.getTime() / 1000),
    }),
  ).toString('base64url');
  return `v1.${payload}.${hmac(`v1.${payload}`, key)}`;
}

/** Reads the claims without checking the signature; undefined when the token is malformed. */
export function readClaims(token: string): TokenClaims | undefined {
  const [version, payload, signature] = token.split('.');
  if (version !== 'v1' || !payload || !signature) return undefined;
  try {
    const raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { t, m, p, k, nb, ex } = raw;
    if (typeof t !== 'string' || (m !== 'live' && m !== 'test') || typeof p !== 'string' || typeof k !== 'string') return undefined;
    if (typeof nb !== 'number' || typeof ex !== 'number') return undefined;
    return { tenantId: t, mode: m, preRegistrationId: p, keyId: k, notBefore: new Date(nb * 1000), expiresAt: new Date(ex * 1000) };
  } catch {
    return undefined;
  }
}

/** Checks the signature in constant time. */
export function hasValidSignature(token: string, key: Buffer): boolean {
  const lastDot = token.lastIndexOf('.');
  const expected = Buffer.from(hmac(token.slice(0, lastDot), key));
  const actual = Buffer.from(token.slice(lastDot + 1));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function hmac(data: string, key: Buffer): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}

/** Returns the tenant's current signing key, creating one on first use. */
export async function activeSigningKey(db: Kysely<Database>, sealer: Sealer, tenantId: string): Promise<{ id: string; key: Buffer }> {
  const existing = await db
    .selectFrom('tenant_signing_keys')
    .select(['id', 'secret_sealed'])
    .where('tenant_id', '=', tenantId)
    .where('retired_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (existing) return { id: existing.id, key: sealer.unseal(existing.secret_sealed) };
  return rotateSigningKey(db, sealer, tenantId);
}

/**
 * Adds a new signing key for the tenant; new tokens are signed with it. Older keys keep
 * verifying the tokens already sent until they are retired.
 */
export async function rotateSigningKey(db: Kysely<Database>, sealer: Sealer, tenantId: string): Promise<{ id: string; key: Buffer }> {
  const key = randomBytes(32);
  const id = newId('sk');
  await db.insertInto('tenant_signing_keys').values({ tenant_id: tenantId, id, secret_sealed: sealer.seal(key) }).execute();
  return { id, key };
}

/** Any unretired key of the tenant by id, for verification; undefined when unknown or retired. */
export async function verificationKey(db: Kysely<Database>, sealer: Sealer, tenantId: string, keyId: string): Promise<Buffer | undefined> {
  const row = await db
    .selectFrom('tenant_signing_keys')
    .select('secret_sealed')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', keyId)
    .where('retired_at', 'is', null)
    .executeTakeFirst();
  return row ? sealer.unseal(row.secret_sealed) : undefined;
}
