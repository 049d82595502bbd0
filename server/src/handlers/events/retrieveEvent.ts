// Created as a stub by `npm run generate`. This file is hand-written: fill in the handler.
import type { Handlers } from '../../generated/operations.gen';
import { notImplemented } from '../../http/problem';

/** GET /v1/events/{id}: Retrieve an event. */
export const retrieveEvent: Handlers['retrieveEvent'] = async (c) => {
  // TODO: implement retrieveEvent; until then it answers 501 Not Implemented.
  throw notImplemented(c.operation.id);
};
