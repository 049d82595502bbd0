import type { Kysely } from 'kysely';

import type { Sealer } from '../crypto/sealing';
import type { Database, PreRegistrationRow } from '../db/schema';
import { signToken, verificationKey } from './token';

/** The pre-registration's signing key was retired, which invalidates its QR code on purpose. */
export class SigningKeyRetiredError extends Error {
  constructor(preRegistrationId: string, keyId: string) {
    super(`Signing key ${keyId} of pre-registration ${preRegistrationId} was retired, so its QR code is no longer valid.`);
    this.name = 'SigningKeyRetiredError';
  }
}

/**
 * Signs the QR token of a pre-registration with the key recorded on it. The same token comes
 * out every time, so the email and `GET /v1/prereg/qr/{id}.png` show the same code.
 */
export async function tokenFor(db: Kysely<Database>, sealer: Sealer, row: PreRegistrationRow): Promise<string> {
  const key = await verificationKey(db, sealer, row.tenant_id, row.signing_key_id);
  if (!key) throw new SigningKeyRetiredError(row.id, row.signing_key_id);
  return signToken(
    { tenantId: row.tenant_id, mode: row.mode, preRegistrationId: row.id, keyId: row.signing_key_id, notBefore: row.valid_from, expiresAt: row.valid_until },
    key,
  );
}
