import type { Kysely, Transaction } from 'kysely';

import type { Database } from '../db/schema';
import { hashSecret } from '../http/auth';
import type { TenantScope } from '../http/operation';
import { generateCode } from './codes';

/** How long a pairing code works. */
export const PAIRING_CODE_TTL_MS = 10 * 60 * 1000;

/**
 * Issues a one-time pairing code for a kiosk, replacing any earlier unused one. Only the
 * code's hash is stored; the code is returned to show once.
 */
export async function issuePairingCode(
  trx: Transaction<Database> | Kysely<Database>,
  scope: TenantScope,
  kioskId: string,
): Promise<{ code: string; expiresAt: Date }> {
  const code = generateCode(8);
  const expiresAt = new Date(Date.now() + PAIRING_CODE_TTL_MS);
  await trx
    .deleteFrom('kiosk_credentials')
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('kiosk_id', '=', kioskId)
    .where('kind', '=', 'pairing_code')
    .execute();
  await trx
    .insertInto('kiosk_credentials')
    .values({ secret_hash: hashSecret(code), kind: 'pairing_code', tenant_id: scope.tenantId, mode: scope.mode, kiosk_id: kioskId, expires_at: expiresAt })
    .execute();
  return { code, expiresAt };
}
