// Created as a stub by `npm run generate`. This file is hand-written: fill in the handler.
import type { Handlers } from '../../generated/operations.gen';
import { notImplemented } from '../../http/problem';

/** POST /v1/webhook-endpoints/{id}/test: Send a ping event to a webhook endpoint. */
export const testWebhookEndpoint: Handlers['testWebhookEndpoint'] = async (c) => {
  // TODO: implement testWebhookEndpoint; until then it answers 501 Not Implemented.
  throw notImplemented(c.operation.id);
};
