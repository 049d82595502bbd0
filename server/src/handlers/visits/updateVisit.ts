import type { Handlers } from '../../generated/operations.gen';
import { recordEvent } from '../../events/record';
import { conflict, notFound } from '../../http/problem';
import { serializeVisit } from '../../resources/serialize';

/**
 * PATCH /v1/visits/{id}: checks the visit out and records `visit.checked_out` in the same
 * transaction. The status condition in the UPDATE makes two concurrent check-outs safe:
 * exactly one matches, the other gets 409.
 */
export const updateVisit: Handlers['updateVisit'] = async (c) => {
  const { scope } = c.auth;
  const now = new Date();

  const updated = await c.db.transaction().execute(async (trx) => {
    const visit = await trx
      .updateTable('visits')
      .set({ status: 'checked_out', checked_out_at: now, updated_at: now })
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
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
    .select(['status', 'checked_out_at'])
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .executeTakeFirst();
  if (!existing) throw notFound('visit', c.params.id);
  if (existing.status === 'pending') throw conflict(`Visit "${c.params.id}" is pending: it has not finished check-in at the kiosk.`);
  throw conflict(`Visit "${c.params.id}" is already checked out (at ${existing.checked_out_at?.toISOString()}).`);
};
