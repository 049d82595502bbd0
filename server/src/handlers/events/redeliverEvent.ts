import { sql } from 'kysely';

import type { Handlers } from '../../generated/operations.gen';
import { createDelivery } from '../../events/record';
import { conflict, invalidField, notFound } from '../../http/problem';
import { serializeWebhookDelivery } from '../../resources/serialize-webhook';

/**
 * POST /v1/events/{id}/redeliver: queues a new delivery, with its own retry window, to the
 * endpoint named in the body, or to every enabled endpoint subscribed to the event's type.
 */
export const redeliverEvent: Handlers['redeliverEvent'] = async (c) => {
  const { scope } = c.auth;
  const endpointId = c.body?.endpoint_id;

  const deliveries = await c.db.transaction().execute(async (trx) => {
    const event = await trx
      .selectFrom('events')
      .select(['id', 'type'])
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', c.params.id)
      .executeTakeFirst();
    if (!event) throw notFound('event', c.params.id);

    let query = trx.selectFrom('webhook_endpoints').select(['id', 'enabled']).where('tenant_id', '=', scope.tenantId).where('mode', '=', scope.mode);
    if (endpointId !== undefined) {
      query = query.where('id', '=', endpointId);
    } else {
      query = query.where('enabled', '=', true).where((eb) => eb.or([eb('event_types', 'is', null), sql<boolean>`${event.type} = any(event_types)`]));
    }
    const endpoints = await query.orderBy('created_at').execute();
    if (endpointId !== undefined && endpoints.length === 0) throw invalidField('endpoint_id', `No webhook endpoint with id "${endpointId}".`);
    if (endpoints.some((endpoint) => !endpoint.enabled)) {
      throw conflict(`Webhook endpoint "${endpointId}" is disabled; enable it with PATCH /v1/webhook-endpoints/${endpointId} first.`);
    }

    const created = [];
    for (const endpoint of endpoints) created.push(await createDelivery(trx, scope, event.id, endpoint.id));
    return created;
  });

  return { status: 202, body: { event_id: c.params.id, deliveries: deliveries.map(serializeWebhookDelivery) } };
};
