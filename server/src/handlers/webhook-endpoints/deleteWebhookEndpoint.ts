import type { Handlers } from '../../generated/operations.gen';
import { notFound } from '../../http/problem';

/**
 * DELETE /v1/webhook-endpoints/{id}: deliveries and attempts go with it (ON DELETE CASCADE),
 * and a queued delivery job that finds its delivery gone does nothing.
 */
export const deleteWebhookEndpoint: Handlers['deleteWebhookEndpoint'] = async (c) => {
  const { scope } = c.auth;
  const deleted = await c.db
    .deleteFrom('webhook_endpoints')
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .returning('id')
    .executeTakeFirst();
  if (!deleted) throw notFound('webhook endpoint', c.params.id);

  return { status: 204 };
};
