import type { Handlers } from '../../generated/operations.gen';
import { notFound } from '../../http/problem';
import { serializeLocation } from '../../resources/serialize';

/** POST /v1/locations/{id}/deactivate: idempotent; past visits stay readable. */
export const deactivateLocation: Handlers['deactivateLocation'] = async (c) => {
  const { scope } = c.auth;
  const row = await c.db
    .updateTable('locations')
    .set({ active: false, updated_at: new Date() })
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound('location', c.params.id);

  return { status: 200, body: serializeLocation(row) };
};
