import type { Handlers } from '../../generated/operations.gen';
import { DEFAULT_PAGE_SIZE, pageQuery, toPage } from '../../resources/pagination';
import { serializeEvent } from '../../resources/serialize-event';

/** GET /v1/events: newest first, keyset-paginated, filtered by type and creation time. */
export const listEvents: Handlers['listEvents'] = async (c) => {
  const { scope } = c.auth;
  const { type, created_after, created_before, cursor } = c.query;
  const limit = c.query.limit ?? DEFAULT_PAGE_SIZE;

  let query = c.db.selectFrom('events').selectAll().where('tenant_id', '=', scope.tenantId).where('mode', '=', scope.mode);
  if (type !== undefined) query = query.where('type', '=', type);
  if (created_after !== undefined) query = query.where('created_at', '>=', new Date(created_after));
  if (created_before !== undefined) query = query.where('created_at', '<', new Date(created_before));
  const rows = await pageQuery(query, cursor, limit).execute();

  return { status: 200, body: toPage(rows, limit, serializeEvent) };
};
