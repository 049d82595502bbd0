import type { Handlers } from '../../generated/operations.gen';
import { searchForm } from '../../checkin/codes';
import { notFound } from '../../http/problem';
import { requireActiveLocation } from '../../resources/lookups';
import { serializeHost } from '../../resources/serialize';

/** PATCH /v1/hosts/{id}: changes only the fields given; a new location must be active. */
export const updateHost: Handlers['updateHost'] = async (c) => {
  const { scope } = c.auth;
  if (c.body.location_id !== undefined) await requireActiveLocation(c.db, scope, c.body.location_id);

  const row = await c.db
    .updateTable('hosts')
    .set({ ...c.body, ...(c.body.name !== undefined ? { search_name: searchForm(c.body.name) } : {}), updated_at: new Date() })
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound('host', c.params.id);

  return { status: 200, body: serializeHost(row) };
};
