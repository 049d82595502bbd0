import type { Handlers } from '../../generated/operations.gen';
import { DEFAULT_PAGE_SIZE, pageQuery, toPage } from '../../resources/pagination';
import { serializeHost } from '../../resources/serialize';

/** GET /v1/hosts: newest first, keyset-paginated, optionally by location. */
export const listHosts: Handlers['listHosts'] = async (c) => {
  const { scope } = c.auth;
  const limit = c.query.limit ?? DEFAULT_PAGE_SIZE;

  let query = c.db.selectFrom('hosts').selectAll().where('tenant_id', '=', scope.tenantId).where('mode', '=', scope.mode);
  if (c.query.location_id !== undefined) query = query.where('location_id', '=', c.query.location_id);
  if (c.query.active !== undefined) query = query.where('active', '=', c.query.active);
  const rows = await pageQuery(query, c.query.cursor, limit).execute();

  return { status: 200, body: toPage(rows, limit, serializeHost) };
};
