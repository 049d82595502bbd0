import type { Handlers } from '../../generated/operations.gen';
import { notFound } from '../../http/problem';
import { serializeHost } from '../../resources/serialize';

/** POST /v1/hosts/{id}/deactivate: idempotent; past visits stay readable. */
export const deactivateHost: Handlers['deactivateHost'] = async (c) => {
  const { scope } = c.auth;
  const row = await c.db
    .updateTable('hosts')
    .set({ active: false, updated_at: new Date() })
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound('host', c.params.id);

  return { status: 200, body: serializeHost(row) };
};
