import type { Kysely } from 'kysely';

import type { Database } from './db/schema';
import { hashSecret } from './http/auth';
import type { Mode } from './http/operation';
import { newId, randomBase62 } from './ids';

export interface CreatedKey {
  id: string;
  mode: Mode;
  /** The secret itself. Only its hash is stored, so this is the one time it can be shown. */
  secret: string;
}

/** Generates `vfp_<mode>_` and 32 base62 characters (about 190 bits). */
function generateSecret(mode: Mode): string {
  return `vfp_${mode}_${randomBase62(32)}`;
}

export async function createApiKey(db: Kysely<Database>, tenantId: string, mode: Mode, name: string | null = null): Promise<CreatedKey> {
  const secret = generateSecret(mode);
  const id = newId('key');
  await db
    .insertInto('api_keys')
    .values({ id, tenant_id: tenantId, mode, secret_hash: hashSecret(secret), secret_last4: secret.slice(-4), name })
    .execute();
  return { id, mode, secret };
}

/** The recipient of a tenant's operational email, such as the notice that a webhook endpoint was disabled. */
export interface TenantContact {
  email: string;
  locale?: 'en' | 'es-MX';
}

/** Creates a tenant with one live and one test key, in one transaction. */
export async function createTenant(db: Kysely<Database>, name: string, contact?: TenantContact) {
  return db.transaction().execute(async (trx) => {
    const tenant = await trx
      .insertInto('tenants')
      .values({ id: newId('ten'), name, contact_email: contact?.email ?? null, contact_locale: contact?.locale ?? 'en' })
      .returningAll()
      .executeTakeFirstOrThrow();
    const live = await createApiKey(trx, tenant.id, 'live', 'default live key');
    const test = await createApiKey(trx, tenant.id, 'test', 'default test key');
    return { tenant, keys: { live, test } };
  });
}

export async function listApiKeys(db: Kysely<Database>, tenantId: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'mode', 'name', 'secret_last4', 'created_at', 'revoked_at'])
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Revokes a key at once: the next request with it gets 401. Returns false for an unknown id. */
export async function revokeApiKey(db: Kysely<Database>, keyId: string): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (result.numUpdatedRows > 0n) return true;
  const existing = await db.selectFrom('api_keys').select('id').where('id', '=', keyId).executeTakeFirst();
  return existing !== undefined;
}
