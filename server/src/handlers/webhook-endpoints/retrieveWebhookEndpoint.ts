import type { Handlers } from '../../generated/operations.gen';
import { serializeWebhookEndpoint } from '../../resources/serialize-webhook';
import { findEndpoint } from '../../webhooks/endpoints';

/** GET /v1/webhook-endpoints/{id}. */
export const retrieveWebhookEndpoint: Handlers['retrieveWebhookEndpoint'] = async (c) => {
  const row = await findEndpoint(c.db, c.auth.scope, c.params.id);
  return { status: 200, body: serializeWebhookEndpoint(row) };
};
