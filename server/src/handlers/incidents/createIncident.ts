// Created as a stub by `npm run generate`. This file is hand-written: fill in the handler.
import type { Handlers } from '../../generated/operations.gen';
import { notImplemented } from '../../http/problem';

/** POST /v1/incidents: Report an incident. */
export const createIncident: Handlers['createIncident'] = async (c) => {
  // TODO: implement createIncident; until then it answers 501 Not Implemented.
  throw notImplemented(c.operation.id);
};
