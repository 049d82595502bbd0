import type { Handlers } from '../../generated/operations.gen';
import { notFound } from '../../http/problem';
import { serializeKiosk } from '../../resources/serialize';

/** GET /v1/kiosks/{id}. */
export const retrieveKiosk: Handlers['retrieveKiosk'] = async (c) => {
  const { scope } = c.auth;
  const row = await c.db
    .selectFrom('kiosks')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .executeTakeFirst();
  if (!row) throw notFound('kiosk', c.params.id);

  return { status: 200, body: serializeKiosk(row) };
};
