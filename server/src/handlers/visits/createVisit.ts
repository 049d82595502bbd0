import type { Transaction } from 'kysely';

import type { Handlers } from '../../generated/operations.gen';
import type { Database, NewVisit, VisitRow } from '../../db/schema';
import { newId } from '../../ids';
import { recordEvent } from '../../events/record';
import { enqueue } from '../../jobs/queue';
import { requireActiveHost, requireActiveLocation } from '../../resources/lookups';
import { serializeVisit } from '../../resources/serialize';

/**
 * POST /v1/visits: creates a visit, checked in at once. For a visitor, the host's arrival
 * email is recorded and queued in the same transaction as the visit, so a crash can neither
 * lose the notification nor send it twice. The `visit.created` and `visit.checked_in` events
 * are recorded in that transaction too.
 */
export const createVisit: Handlers['createVisit'] = async (c) => {
  const { scope } = c.auth;
  const body = c.body;
  const now = new Date();

  const row = await c.db.transaction().execute(async (trx) => {
    const visit = await insertVisit(trx);
    const object = serializeVisit(visit);
    await recordEvent(trx, scope, 'visit.created', object);
    await recordEvent(trx, scope, 'visit.checked_in', object);
    return visit;
  });

  return { status: 201, body: serializeVisit(row) };

  async function insertVisit(trx: Transaction<Database>): Promise<VisitRow> {
    const location = await requireActiveLocation(trx, scope, body.location_id);
    const base = {
      tenant_id: scope.tenantId,
      mode: scope.mode,
      id: newId('vis'),
      status: 'onsite',
      location_id: location.id,
      checked_in_at: now,
      created_at: now,
      updated_at: now,
    } as const;

    if (body.type === 'driver') {
      const driverVisit: NewVisit = {
        ...base,
        type: 'driver',
        driver_name: body.driver.name,
        driver_license_number: body.driver.license_number,
        shipment_bol_ref: body.shipment.bol_ref,
        shipment_type: body.shipment.type,
        shipment_hazmat: body.shipment.hazmat,
        tractor_plate: body.vehicle.tractor_plate,
        trailer_plate: body.vehicle.trailer_plate ?? null,
        host_notified: false,
      };
      return trx.insertInto('visits').values(driverVisit).returningAll().executeTakeFirstOrThrow();
    }

    const host = await requireActiveHost(trx, scope, body.host_id);
    const visit = await trx
      .insertInto('visits')
      .values({
        ...base,
        type: 'visitor',
        host_id: host.id,
        visitor_name: body.visitor.name,
        visitor_email: body.visitor.email,
        visitor_company: body.visitor.company ?? null,
        host_notified: true,
      })
      .returningAll()
      .executeTakeFirstOrThrow();

    const emailId = newId('email');
    await trx
      .insertInto('outbound_emails')
      .values({
        tenant_id: scope.tenantId,
        mode: scope.mode,
        id: emailId,
        kind: 'host_arrival',
        visit_id: visit.id,
        recipient: host.email,
        locale: location.locale,
        created_at: now,
      })
      .execute();
    await enqueue(trx, 'send_email', { tenant_id: scope.tenantId, mode: scope.mode, email_id: emailId }, `email:${emailId}`);
    return visit;
  }
};
