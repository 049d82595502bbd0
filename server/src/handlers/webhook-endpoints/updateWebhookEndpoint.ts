// Created as a stub by `npm run generate`. This file is hand-written: fill in the handler.
import type { Handlers } from '../../generated/operations.gen';
import { notImplemented } from '../../http/problem';

/** PATCH /v1/webhook-endpoints/{id}: Update a webhook endpoint. */
export const updateWebhookEndpoint: Handlers['updateWebhookEndpoint'] = async (c) => {
  // TODO: implement updateWebhookEndpoint; until then it answers 501 Not Implemented.
  throw notImplemented(c.operation.id);
};
