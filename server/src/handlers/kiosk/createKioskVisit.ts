import type { Handlers } from '../../generated/operations.gen';
import { newId } from '../../ids';
import { requireActiveHost, requireActiveLocation } from '../../resources/lookups';
import { serializeVisit } from '../../resources/serialize';
import { invalidField } from '../../http/problem';

/** POST /v1/kiosk/visits: a pending walk-in visit at the kiosk's location. */
export const createKioskVisit: Handlers['createKioskVisit'] = async (c) => {
  const { scope, locationId, kioskId } = c.auth;
  const body = c.body;
  const now = new Date();
  const base = {
    tenant_id: scope.tenantId,
    mode: scope.mode,
    id: newId('vis'),
    status: 'pending',
    location_id: locationId,
    host_notified: false,
    checked_in_at: null,
    kiosk_id: kioskId,
    created_at: now,
    updated_at: now,
  } as const;

  // As on POST /v1/visits, no new visit opens at a deactivated location.
  await requireActiveLocation(c.db, scope, locationId);
  let row;
  if (body.type === 'driver') {
    row = await c.db
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
  } else {
    const host = await requireActiveHost(c.db, scope, body.host_id);
    if (host.location_id !== locationId) throw invalidField('host_id', `Host "${host.id}" works at another location.`);
    row = await c.db
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

  return { status: 201, body: serializeVisit(row) };
};
