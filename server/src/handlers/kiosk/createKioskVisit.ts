import type { Transaction } from 'kysely';

import type { Database, VisitRow } from '../../db/schema';
import { recordEvent } from '../../events/record';
import type { Handlers, OperationTypes } from '../../generated/operations.gen';
import type { KioskAuth } from '../../http/operation';
import { invalidField } from '../../http/problem';
import { newId } from '../../ids';
import { requireActiveHost, requireActiveLocation } from '../../resources/lookups';
import { serializeVisit } from '../../resources/serialize';

/** POST /v1/kiosk/visits: a pending walk-in visit at the kiosk's location, recorded as `visit.created`. */
export const createKioskVisit: Handlers['createKioskVisit'] = async (c) => {
  // The spec rejects new visits at a deactivated location, and a kiosk may outlive its location.
  await requireActiveLocation(c.db, c.auth.scope, c.auth.locationId);
  const row = await c.db.transaction().execute(async (trx) => {
    const visit = await insertWalkIn(trx, c.auth, c.body);
    await recordEvent(trx, c.auth.scope, 'visit.created', serializeVisit(visit));
    return visit;
  });

  return { status: 201, body: serializeVisit(row) };
};

async function insertWalkIn(trx: Transaction<Database>, kiosk: KioskAuth, body: OperationTypes['createKioskVisit']['body']): Promise<VisitRow> {
  const now = new Date();
  const base = {
    tenant_id: kiosk.scope.tenantId,
    mode: kiosk.scope.mode,
    id: newId('vis'),
    status: 'pending',
    location_id: kiosk.locationId,
    host_notified: false,
    checked_in_at: null,
    kiosk_id: kiosk.kioskId,
    created_at: now,
    updated_at: now,
  } as const;

  if (body.type === 'driver') {
    return trx
      .insertInto('visits')
      .values({
        ...base,
        type: 'driver',
        driver_name: body.driver.name,
        driver_license_number: body.driver.license_number,
        shipment_bol_ref: body.shipment.bol_ref,
        shipment_type: body.shipment.type,
        shipment_hazmat: body.shipment.hazmat,
        tractor_plate: body.vehicle.tractor_plate,
        trailer_plate: body.vehicle.trailer_plate ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  const host = await requireActiveHost(trx, kiosk.scope, body.host_id);
  if (host.location_id !== kiosk.locationId) throw invalidField('host_id', `Host "${host.id}" works at another location.`);
  return trx
    .insertInto('visits')
    .values({
      ...base,
      type: 'visitor',
      host_id: host.id,
      visitor_name: body.visitor.name,
      visitor_email: body.visitor.email,
      visitor_company: body.visitor.company ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
