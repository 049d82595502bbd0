// Created as a stub by `npm run generate`. This file is hand-written: fill in the handler.
import type { Handlers } from '../../generated/operations.gen';
import { notImplemented } from '../../http/problem';

/** GET /v1/webhook-endpoints/{id}/deliveries: List delivery attempts to a webhook endpoint. */
export const listWebhookDeliveryAttempts: Handlers['listWebhookDeliveryAttempts'] = async (c) => {
  // TODO: implement listWebhookDeliveryAttempts; until then it answers 501 Not Implemented.
  throw notImplemented(c.operation.id);
};
