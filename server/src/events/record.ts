import { sql, type Transaction } from 'kysely';

import type { Database, EventRow, EventType, WebhookDeliveryRow } from '../db/schema';
import type { TenantScope } from '../http/operation';
import { newId } from '../ids';
import { FIRST_BACKUP_DELAY_MS, scheduleAttempt } from '../webhooks/delivery-jobs';

/**
 * Records an event in the caller's transaction and queues one delivery to every enabled
 * webhook endpoint of the scope that subscribes to `type`. Call it in the transaction that
 * makes the change, with the object as the API returns it, so the event and its deliveries
 * exist exactly when the change commits.
 */
export async function recordEvent(trx: Transaction<Database>, scope: TenantScope, type: EventType, object: object): Promise<EventRow> {
  const event = await insertEvent(trx, scope, type, object);
  const endpoints = await trx
    .selectFrom('webhook_endpoints')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('enabled', '=', true)
    .where((eb) => eb.or([eb('event_types', 'is', null), sql<boolean>`${type} = any(event_types)`]))
    .execute();
  for (const endpoint of endpoints) await createDelivery(trx, scope, event.id, endpoint.id);
  return event;
}

/** Inserts an event without sending it anywhere; `ping` events use this with one `createDelivery`. */
export async function insertEvent(trx: Transaction<Database>, scope: TenantScope, type: EventType, object: object): Promise<EventRow> {
  return trx
    .insertInto('events')
    .values({
      tenant_id: scope.tenantId,
      mode: scope.mode,
      id: newId('evt'),
      type,
      data: JSON.stringify({ object }),
      created_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Inserts a pending delivery of an event to one endpoint and queues its first attempt, due now. */
export async function createDelivery(trx: Transaction<Database>, scope: TenantScope, eventId: string, endpointId: string): Promise<WebhookDeliveryRow> {
  const now = new Date();
  const delivery = await trx
    .insertInto('webhook_deliveries')
    .values({
      tenant_id: scope.tenantId,
      mode: scope.mode,
      id: newId('whd'),
      event_id: eventId,
      endpoint_id: endpointId,
      status: 'pending',
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await scheduleAttempt(trx, { tenant_id: scope.tenantId, mode: scope.mode, delivery_id: delivery.id }, now, FIRST_BACKUP_DELAY_MS);
  return delivery;
}
