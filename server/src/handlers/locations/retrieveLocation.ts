import type { Handlers } from '../../generated/operations.gen';
import { notFound } from '../../http/problem';
import { serializeLocation } from '../../resources/serialize';

/** GET /v1/locations/{id}. */
export const retrieveLocation: Handlers['retrieveLocation'] = async (c) => {
  const { scope } = c.auth;
  const row = await c.db
    .selectFrom('locations')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .executeTakeFirst();
  if (!row) throw notFound('location', c.params.id);

  return { status: 200, body: serializeLocation(row) };
};
