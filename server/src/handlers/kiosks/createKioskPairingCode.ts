import { issuePairingCode } from '../../checkin/pairing';
import type { Handlers } from '../../generated/operations.gen';
import { conflict, notFound } from '../../http/problem';
import { serializeKiosk } from '../../resources/serialize';

/** POST /v1/kiosks/{id}/pairing-code: a new one-time code; pairing with it replaces the device token. */
export const createKioskPairingCode: Handlers['createKioskPairingCode'] = async (c) => {
  const { scope } = c.auth;
  const kiosk = await c.db
    .selectFrom('kiosks')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .executeTakeFirst();
  if (!kiosk) throw notFound('kiosk', c.params.id);
  if (kiosk.status === 'revoked') throw conflict(`Kiosk "${kiosk.id}" is revoked; create a new kiosk instead.`);

  const pairing = await issuePairingCode(c.db, scope, kiosk.id);
  return { status: 200, body: { ...serializeKiosk(kiosk), pairing_code: pairing.code, pairing_code_expires_at: pairing.expiresAt.toISOString() } };
};
