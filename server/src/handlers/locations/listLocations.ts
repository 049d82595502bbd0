import type { Handlers } from '../../generated/operations.gen';
import { DEFAULT_PAGE_SIZE, pageQuery, toPage } from '../../resources/pagination';
import { serializeLocation } from '../../resources/serialize';

/** GET /v1/locations: newest first, keyset-paginated. */
export const listLocations: Handlers['listLocations'] = async (c) => {
  const { scope } = c.auth;
  const limit = c.query.limit ?? DEFAULT_PAGE_SIZE;

  let query = c.db.selectFrom('locations').selectAll().where('tenant_id', '=', scope.tenantId).where('mode', '=', scope.mode);
  if (c.query.active !== undefined) query = query.where('active', '=', c.query.active);
  const rows = await pageQuery(query, c.query.cursor, limit).execute();

  return { status: 200, body: toPage(rows, limit, serializeLocation) };
};
