// Created as a stub by `npm run generate`. This file is hand-written: fill in the handler.
import type { Handlers } from '../../generated/operations.gen';
import { notImplemented } from '../../http/problem';

/** GET /v1/incidents/{id}: Retrieve an incident. */
export const retrieveIncident: Handlers['retrieveIncident'] = async (c) => {
  // TODO: implement retrieveIncident; until then it answers 501 Not Implemented.
  throw notImplemented(c.operation.id);
};
