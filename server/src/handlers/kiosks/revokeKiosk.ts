import { recordEvent } from '../../events/record';
import type { Handlers } from '../../generated/operations.gen';
import { notFound } from '../../http/problem';
import { serializeKiosk } from '../../resources/serialize';

/** POST /v1/kiosks/{id}/revoke: deletes the kiosk's credentials, so its token fails from the next request. */
export const revokeKiosk: Handlers['revokeKiosk'] = async (c) => {
  const { scope } = c.auth;
  const now = new Date();

  const row = await c.db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom('kiosks')
      .selectAll()
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', c.params.id)
      .forUpdate()
      .executeTakeFirst();
    if (!existing) throw notFound('kiosk', c.params.id);
    if (existing.status === 'revoked') return existing;

    await trx.deleteFrom('kiosk_credentials').where('tenant_id', '=', scope.tenantId).where('mode', '=', scope.mode).where('kiosk_id', '=', existing.id).execute();
    const revoked = await trx
      .updateTable('kiosks')
      .set({ status: 'revoked', revoked_at: now })
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordEvent(trx, scope, 'kiosk.revoked', serializeKiosk(revoked));
    return revoked;
  });

  return { status: 200, body: serializeKiosk(row) };
};
