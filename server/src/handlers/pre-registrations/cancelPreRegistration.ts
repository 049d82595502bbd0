import { recordEvent } from '../../events/record';
import type { Handlers } from '../../generated/operations.gen';
import { conflict, notFound } from '../../http/problem';
import { serializePreRegistration } from '../../resources/serialize';

/**
 * POST /v1/pre-registrations/{id}/cancel: the QR code and check-in code stop working at once,
 * because the kiosk checks the stored status. Cancelling twice returns the cancelled row.
 */
export const cancelPreRegistration: Handlers['cancelPreRegistration'] = async (c) => {
  const { scope } = c.auth;
  const now = new Date();

  const cancelled = await c.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('pre_registrations')
      .set({ status: 'cancelled', cancelled_at: now, updated_at: now })
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', c.params.id)
      .where('status', '=', 'scheduled')
      .returningAll()
      .executeTakeFirst();
    if (row) await recordEvent(trx, scope, 'pre_registration.cancelled', serializePreRegistration(row));
    return row;
  });
  if (cancelled) return { status: 200, body: serializePreRegistration(cancelled) };

  const existing = await c.db
    .selectFrom('pre_registrations')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .executeTakeFirst();
  if (!existing) throw notFound('pre-registration', c.params.id);
  if (existing.status === 'cancelled') return { status: 200, body: serializePreRegistration(existing) };
  throw conflict(`Pre-registration "${c.params.id}" is already checked in (visit ${existing.visit_id}) and cannot be cancelled.`);
};
