import { normalizeCode } from '../../checkin/codes';
import { recordEvent } from '../../events/record';
import type { Handlers } from '../../generated/operations.gen';
import { randomBase62 } from '../../ids';
import { serializeKiosk } from '../../resources/serialize';
import { hashSecret } from '../../http/auth';
import { HttpError } from '../../http/problem';
import { paramsFor } from '../../limits/gcra';
import { tooManyRequests } from '../../limits/headers';

// Pairing is public, so guesses are limited per client address: 20 a minute after a burst of
// about 10, which leaves room for an installer pairing a lobby's kiosks from one network.
const PAIRING_ATTEMPTS = paramsFor(20, 30_000);

function invalidCode(): HttpError {
  return new HttpError({
    status: 400,
    code: 'invalid-pairing-code',
    title: 'Invalid payload',
    detail: 'This pairing code is unknown, expired or already used. Create a new one with POST /v1/kiosks/{id}/pairing-code.',
    fieldErrors: { pairing_code: ['Unknown, expired or already used'] },
  });
}

/** POST /v1/kiosk/pair: trades a one-time pairing code for the kiosk's device token. */
export const pairKiosk: Handlers['pairKiosk'] = async (c) => {
  const client = c.req.socket.remoteAddress ?? 'unknown';
  const attempt = await c.services.limiter.consumeKey(`vf:pair:{${client}}`, PAIRING_ATTEMPTS);
  if (!attempt.allowed) {
    throw tooManyRequests('pairing-attempts', attempt.retryAfterMs, (seconds) => `Too many pairing attempts. Retry after ${seconds} s.`);
  }

  const codeHash = hashSecret(normalizeCode(c.body.pairing_code));
  const deviceToken = `vfk_${randomBase62(32)}`;
  const now = new Date();

  const result = await c.db.transaction().execute(async (trx) => {
    // Deleting the code claims it: of two devices pairing with one code, only one deletes the row.
    const code = await trx
      .deleteFrom('kiosk_credentials')
      .where('secret_hash', '=', codeHash)
      .where('kind', '=', 'pairing_code')
      .returningAll()
      .executeTakeFirst();
    if (!code || (code.expires_at && code.expires_at < now)) throw invalidCode();
    const scope = { tenantId: code.tenant_id, mode: code.mode };

    const kiosk = await trx
      .updateTable('kiosks')
      .set({ status: 'active', paired_at: now, last_seen_at: now })
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', code.kiosk_id)
      .where('status', '!=', 'revoked')
      .returningAll()
      .executeTakeFirst();
    if (!kiosk) throw invalidCode();

    // A new pairing replaces the previous device's token.
    await trx.deleteFrom('kiosk_credentials').where('tenant_id', '=', scope.tenantId).where('mode', '=', scope.mode).where('kiosk_id', '=', kiosk.id).where('kind', '=', 'device_token').execute();
    await trx
      .insertInto('kiosk_credentials')
      .values({ secret_hash: hashSecret(deviceToken), kind: 'device_token', tenant_id: scope.tenantId, mode: scope.mode, kiosk_id: kiosk.id, expires_at: null })
      .execute();
    await recordEvent(trx, scope, 'kiosk.paired', serializeKiosk(kiosk));
    const location = await trx
      .selectFrom('locations')
      .select('name')
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', kiosk.location_id)
      .executeTakeFirstOrThrow();
    return { kiosk, locationName: location.name };
  });

  const { kiosk, locationName } = result;
  return {
    status: 200,
    body: {
      device_token: deviceToken,
      kiosk: { id: kiosk.id, name: kiosk.name, location_id: kiosk.location_id, location_name: locationName, livemode: kiosk.mode === 'live' },
    },
  };
};
