// Created as a stub by `npm run generate`. This file is hand-written: fill in the handler.
import type { Handlers } from '../../generated/operations.gen';
import { notImplemented } from '../../http/problem';

/** GET /v1/webhook-endpoints/{id}: Retrieve a webhook endpoint. */
export const retrieveWebhookEndpoint: Handlers['retrieveWebhookEndpoint'] = async (c) => {
  // TODO: implement retrieveWebhookEndpoint; until then it answers 501 Not Implemented.
  throw notImplemented(c.operation.id);
};
