import type { Handlers } from '../../generated/operations.gen';
import { DEFAULT_PAGE_SIZE, pageQuery, toPage } from '../../resources/pagination';
import { serializeWebhookDeliveryAttempt } from '../../resources/serialize-webhook';
import { findEndpoint } from '../../webhooks/endpoints';

/** GET /v1/webhook-endpoints/{id}/deliveries: every attempt to this endpoint, newest first. */
export const listWebhookDeliveryAttempts: Handlers['listWebhookDeliveryAttempts'] = async (c) => {
  const { scope } = c.auth;
  const endpoint = await findEndpoint(c.db, scope, c.params.id);
  const limit = c.query.limit ?? DEFAULT_PAGE_SIZE;

  let query = c.db
    .selectFrom('webhook_delivery_attempts')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('endpoint_id', '=', endpoint.id);
  if (c.query.event_id !== undefined) query = query.where('event_id', '=', c.query.event_id);
  const rows = await pageQuery(query, c.query.cursor, limit).execute();

  return { status: 200, body: toPage(rows, limit, serializeWebhookDeliveryAttempt) };
};
