// Created as a stub by `npm run generate`. This file is hand-written: fill in the handler.
import type { Handlers } from '../../generated/operations.gen';
import { notImplemented } from '../../http/problem';

/** POST /v1/events/{id}/redeliver: Send an event to webhook endpoints again. */
export const redeliverEvent: Handlers['redeliverEvent'] = async (c) => {
  // TODO: implement redeliverEvent; until then it answers 501 Not Implemented.
  throw notImplemented(c.operation.id);
};
