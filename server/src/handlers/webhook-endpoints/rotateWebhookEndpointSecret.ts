// Created as a stub by `npm run generate`. This file is hand-written: fill in the handler.
import type { Handlers } from '../../generated/operations.gen';
import { notImplemented } from '../../http/problem';

/** POST /v1/webhook-endpoints/{id}/rotate-secret: Rotate a webhook endpoint's signing secret. */
export const rotateWebhookEndpointSecret: Handlers['rotateWebhookEndpointSecret'] = async (c) => {
  // TODO: implement rotateWebhookEndpointSecret; until then it answers 501 Not Implemented.
  throw notImplemented(c.operation.id);
};
