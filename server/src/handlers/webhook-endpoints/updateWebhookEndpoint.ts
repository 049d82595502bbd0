import type { Updateable } from 'kysely';

import type { WebhookEndpointTable } from '../../db/schema';
import type { Handlers } from '../../generated/operations.gen';
import { serializeWebhookEndpoint } from '../../resources/serialize-webhook';
import { checkEndpointUrl, findEndpoint } from '../../webhooks/endpoints';

/**
 * PATCH /v1/webhook-endpoints/{id}. Enabling clears the disabled reason and the failure
 * streak, so an endpoint re-enabled after 24 hours of failures gets a fresh 24 hours.
 */
export const updateWebhookEndpoint: Handlers['updateWebhookEndpoint'] = async (c) => {
  const { scope } = c.auth;
  const body = c.body;
  const url = body.url === undefined ? undefined : await checkEndpointUrl(body.url, c.services.config);
  const now = new Date();

  const row = await c.db.transaction().execute(async (trx) => {
    const current = await findEndpoint(trx, scope, c.params.id, { forUpdate: true });
    const changes: Updateable<WebhookEndpointTable> = { updated_at: now };
    if (url !== undefined) changes.url = url;
    if (body.description !== undefined) changes.description = body.description;
    if (body.event_types !== undefined) changes.event_types = body.event_types;
    if (body.enabled === true) Object.assign(changes, { enabled: true, disabled_reason: null, disabled_at: null, failing_since: null });
    if (body.enabled === false && current.enabled) Object.assign(changes, { enabled: false, disabled_reason: 'manual', disabled_at: now });

    return trx
      .updateTable('webhook_endpoints')
      .set(changes)
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });

  return { status: 200, body: serializeWebhookEndpoint(row) };
};
