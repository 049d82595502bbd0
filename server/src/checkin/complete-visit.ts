import type { Transaction } from 'kysely';

import type { Database, VisitRow } from '../db/schema';
import type { TenantScope } from '../http/operation';
import { recordEvent } from '../events/record';
import { newId } from '../ids';
import { serializeVisit } from '../resources/serialize';
import { enqueue } from '../jobs/queue';

/**
 * Turns a pending kiosk visit `onsite` once it has both a photo and a signed NDA: sets
 * `checked_in_at` and, for a visitor, queues the host's arrival email in the same
 * transaction. The caller must hold the visit's row lock (SELECT … FOR UPDATE), so the photo
 * and the NDA arriving at once complete the visit exactly once.
 */
export async function completeIfReady(trx: Transaction<Database>, scope: TenantScope, visit: VisitRow): Promise<VisitRow> {
  if (visit.status !== 'pending' || visit.photo_key === null || visit.nda_accepted_at === null) return visit;

  const now = new Date();
  const notifyHost = visit.type === 'visitor' && visit.host_id !== null;
  const updated = await trx
    .updateTable('visits')
    .set({ status: 'onsite', checked_in_at: now, updated_at: now, host_notified: notifyHost })
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', visit.id)
    .returningAll()
    .executeTakeFirstOrThrow();

  if (notifyHost && visit.host_id) {
    const host = await trx
      .selectFrom('hosts')
      .innerJoin('locations', (join) =>
        join.onRef('locations.tenant_id', '=', 'hosts.tenant_id').onRef('locations.mode', '=', 'hosts.mode').onRef('locations.id', '=', 'hosts.location_id'),
      )
      .select(['hosts.email', 'locations.locale'])
      .where('hosts.tenant_id', '=', scope.tenantId)
      .where('hosts.mode', '=', scope.mode)
      .where('hosts.id', '=', visit.host_id)
      .executeTakeFirstOrThrow();
    const emailId = newId('email');
    await trx
      .insertInto('outbound_emails')
      .values({ tenant_id: scope.tenantId, mode: scope.mode, id: emailId, kind: 'host_arrival', visit_id: visit.id, recipient: host.email, locale: host.locale, created_at: now })
      .execute();
    await enqueue(trx, 'send_email', { tenant_id: scope.tenantId, mode: scope.mode, email_id: emailId }, `email:${emailId}`);
  }
  await recordEvent(trx, scope, 'visit.checked_in', serializeVisit(updated));
  return updated;
}

/** Loads a visit at the kiosk's location with its row locked, or undefined. */
export async function lockKioskVisit(trx: Transaction<Database>, scope: TenantScope, locationId: string, visitId: string): Promise<VisitRow | undefined> {
  return trx
    .selectFrom('visits')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('location_id', '=', locationId)
    .where('id', '=', visitId)
    .forUpdate()
    .executeTakeFirst();
}
