import type { Handlers } from '../../generated/operations.gen';
import { DEFAULT_PAGE_SIZE, pageQuery, toPage } from '../../resources/pagination';
import { serializeKiosk } from '../../resources/serialize';

/** GET /v1/kiosks: newest first, with each kiosk's last-seen time. */
export const listKiosks: Handlers['listKiosks'] = async (c) => {
  const { scope } = c.auth;
  const limit = c.query.limit ?? DEFAULT_PAGE_SIZE;

  let query = c.db.selectFrom('kiosks').selectAll().where('tenant_id', '=', scope.tenantId).where('mode', '=', scope.mode);
  if (c.query.location_id !== undefined) query = query.where('location_id', '=', c.query.location_id);
  const rows = await pageQuery(query, c.query.cursor, limit).execute();

  return { status: 200, body: toPage(rows, limit, serializeKiosk) };
};
