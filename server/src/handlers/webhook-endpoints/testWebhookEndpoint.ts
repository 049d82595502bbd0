import type { Handlers } from '../../generated/operations.gen';
import { createDelivery, insertEvent } from '../../events/record';
import { conflict } from '../../http/problem';
import { serializeWebhookDelivery, serializeWebhookEndpoint } from '../../resources/serialize-webhook';
import { findEndpoint } from '../../webhooks/endpoints';

/** POST /v1/webhook-endpoints/{id}/test: records a `ping` event and delivers it to this endpoint only. */
export const testWebhookEndpoint: Handlers['testWebhookEndpoint'] = async (c) => {
  const { scope } = c.auth;

  const delivery = await c.db.transaction().execute(async (trx) => {
    const endpoint = await findEndpoint(trx, scope, c.params.id);
    if (!endpoint.enabled) {
      throw conflict(`Webhook endpoint "${endpoint.id}" is disabled; enable it with PATCH /v1/webhook-endpoints/${endpoint.id} first.`);
    }
    const event = await insertEvent(trx, scope, 'ping', serializeWebhookEndpoint(endpoint));
    return createDelivery(trx, scope, event.id, endpoint.id);
  });

  return { status: 202, body: serializeWebhookDelivery(delivery) };
};
