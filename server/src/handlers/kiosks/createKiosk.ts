import { issuePairingCode } from '../../checkin/pairing';
import type { Handlers } from '../../generated/operations.gen';
import { newId } from '../../ids';
import { requireActiveLocation } from '../../resources/lookups';
import { serializeKiosk } from '../../resources/serialize';

/** POST /v1/kiosks: registers a kiosk and returns its one-time pairing code. */
export const createKiosk: Handlers['createKiosk'] = async (c) => {
  const { scope } = c.auth;
  await requireActiveLocation(c.db, scope, c.body.location_id);

  const { kiosk, pairing } = await c.db.transaction().execute(async (trx) => {
    const kiosk = await trx
      .insertInto('kiosks')
      .values({ tenant_id: scope.tenantId, mode: scope.mode, id: newId('ksk'), location_id: c.body.location_id, name: c.body.name, status: 'unpaired', created_at: new Date() })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { kiosk, pairing: await issuePairingCode(trx, scope, kiosk.id) };
  });

  return { status: 201, body: { ...serializeKiosk(kiosk), pairing_code: pairing.code, pairing_code_expires_at: pairing.expiresAt.toISOString() } };
};
