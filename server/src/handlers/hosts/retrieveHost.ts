import type { Handlers } from '../../generated/operations.gen';
import { notFound } from '../../http/problem';
import { serializeHost } from '../../resources/serialize';

/** GET /v1/hosts/{id}. */
export const retrieveHost: Handlers['retrieveHost'] = async (c) => {
  const { scope } = c.auth;
  const row = await c.db
    .selectFrom('hosts')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .executeTakeFirst();
  if (!row) throw notFound('host', c.params.id);

  return { status: 200, body: serializeHost(row) };
};
