// Created as a stub by `npm run generate`. This file is hand-written: fill in the handler.
import type { Handlers } from '../../generated/operations.gen';
import { notImplemented } from '../../http/problem';

/** DELETE /v1/webhook-endpoints/{id}: Delete a webhook endpoint. */
export const deleteWebhookEndpoint: Handlers['deleteWebhookEndpoint'] = async (c) => {
  // TODO: implement deleteWebhookEndpoint; until then it answers 501 Not Implemented.
  throw notImplemented(c.operation.id);
};
