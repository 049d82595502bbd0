import type { Handlers } from '../../generated/operations.gen';
import { notFound } from '../../http/problem';
import { serializeIncident } from '../../resources/serialize-incident';

/** GET /v1/incidents/{id}. */
export const retrieveIncident: Handlers['retrieveIncident'] = async (c) => {
  const { scope } = c.auth;
  const row = await c.db
    .selectFrom('incidents')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .executeTakeFirst();
  if (!row) throw notFound('incident', c.params.id);

  return { status: 200, body: serializeIncident(row) };
};
