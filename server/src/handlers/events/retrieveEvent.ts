import type { Handlers } from '../../generated/operations.gen';
import { notFound } from '../../http/problem';
import { serializeEvent } from '../../resources/serialize-event';

/** GET /v1/events/{id}. */
export const retrieveEvent: Handlers['retrieveEvent'] = async (c) => {
  const { scope } = c.auth;
  const row = await c.db
    .selectFrom('events')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .executeTakeFirst();
  if (!row) throw notFound('event', c.params.id);

  return { status: 200, body: serializeEvent(row) };
};
