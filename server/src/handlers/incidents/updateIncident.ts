// Created as a stub by `npm run generate`. This file is hand-written: fill in the handler.
import type { Handlers } from '../../generated/operations.gen';
import { notImplemented } from '../../http/problem';

/** PATCH /v1/incidents/{id}: Update an incident. */
export const updateIncident: Handlers['updateIncident'] = async (c) => {
  // TODO: implement updateIncident; until then it answers 501 Not Implemented.
  throw notImplemented(c.operation.id);
};
