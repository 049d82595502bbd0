import type { Handlers } from '../../generated/operations.gen';
import { notFound } from '../../http/problem';
import { serializeVisit } from '../../resources/serialize';

/** GET /v1/visits/{id}. */
export const retrieveVisit: Handlers['retrieveVisit'] = async (c) => {
  const { scope } = c.auth;
  const row = await c.db
    .selectFrom('visits')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .executeTakeFirst();
  if (!row) throw notFound('visit', c.params.id);

  return { status: 200, body: serializeVisit(row) };
};
