import type { Handlers } from '../../generated/operations.gen';
import { DEFAULT_PAGE_SIZE, pageQuery, toPage } from '../../resources/pagination';
import { serializeWebhookEndpoint } from '../../resources/serialize-webhook';

/** GET /v1/webhook-endpoints: newest first, keyset-paginated. */
export const listWebhookEndpoints: Handlers['listWebhookEndpoints'] = async (c) => {
  const { scope } = c.auth;
  const limit = c.query.limit ?? DEFAULT_PAGE_SIZE;

  let query = c.db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', scope.tenantId).where('mode', '=', scope.mode);
  if (c.query.enabled !== undefined) query = query.where('enabled', '=', c.query.enabled);
  const rows = await pageQuery(query, c.query.cursor, limit).execute();

  return { status: 200, body: toPage(rows, limit, serializeWebhookEndpoint) };
};
