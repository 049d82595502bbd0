import type { Handlers } from '../../generated/operations.gen';
import { DEFAULT_PAGE_SIZE, pageQuery, toPage } from '../../resources/pagination';
import { serializeVisit } from '../../resources/serialize';

/** GET /v1/visits: newest first, keyset-paginated; every filter narrows the result. */
export const listVisits: Handlers['listVisits'] = async (c) => {
  const { scope } = c.auth;
  const { location_id, status, type, host_id, checked_in_after, checked_in_before, cursor } = c.query;
  const limit = c.query.limit ?? DEFAULT_PAGE_SIZE;

  let query = c.db.selectFrom('visits').selectAll().where('tenant_id', '=', scope.tenantId).where('mode', '=', scope.mode);
  if (location_id !== undefined) query = query.where('location_id', '=', location_id);
  if (status !== undefined) query = query.where('status', '=', status);
  if (type !== undefined) query = query.where('type', '=', type);
  if (host_id !== undefined) query = query.where('host_id', '=', host_id);
  if (checked_in_after !== undefined) query = query.where('checked_in_at', '>=', new Date(checked_in_after));
  if (checked_in_before !== undefined) query = query.where('checked_in_at', '<', new Date(checked_in_before));
  const rows = await pageQuery(query, cursor, limit).execute();

  return { status: 200, body: toPage(rows, limit, serializeVisit) };
};
