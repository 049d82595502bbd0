import { recordEvent } from '../../events/record';
import type { Handlers } from '../../generated/operations.gen';
import { conflict, notFound } from '../../http/problem';
import { serializeVisit } from '../../resources/serialize';

/** POST /v1/kiosk/visits/{id}/checkout: checks out an onsite visit at this kiosk's location. */
export const checkoutKioskVisit: Handlers['checkoutKioskVisit'] = async (c) => {
  const { scope, locationId } = c.auth;
  const now = new Date();

  const updated = await c.db.transaction().execute(async (trx) => {
    const visit = await trx
      .updateTable('visits')
      .set({ status: 'checked_out', checked_out_at: now, updated_at: now })
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('location_id', '=', locationId)
      .where('id', '=', c.params.id)
      .where('status', '=', 'onsite')
      .returningAll()
      .executeTakeFirst();
    if (visit) await recordEvent(trx, scope, 'visit.checked_out', serializeVisit(visit));
    return visit;
  });
  if (updated) return { status: 200, body: serializeVisit(updated) };

  const existing = await c.db
    .selectFrom('visits')
    .select('status')
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('location_id', '=', locationId)
    .where('id', '=', c.params.id)
    .executeTakeFirst();
  if (!existing) throw notFound('visit', c.params.id);
  throw conflict(existing.status === 'pending' ? `Visit "${c.params.id}" never completed check-in.` : `Visit "${c.params.id}" is already checked out.`);
};
