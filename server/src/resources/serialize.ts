import type { components } from '../generated/openapi-types.gen';
import type { HostRow, LocationRow, VisitRow } from '../db/schema';

type Schemas = components['schemas'];

export function serializeLocation(row: LocationRow): Schemas['Location'] {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    timezone: row.timezone,
    locale: row.locale,
    active: row.active,
    livemode: row.mode === 'live',
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function serializeHost(row: HostRow): Schemas['Host'] {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    location_id: row.location_id,
    phone: row.phone,
    active: row.active,
    livemode: row.mode === 'live',
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function serializeVisit(row: VisitRow): Schemas['Visit'] {
  const common = {
    id: row.id,
    status: row.status,
    location_id: row.location_id,
    checked_in_at: row.checked_in_at.toISOString(),
    checked_out_at: row.checked_out_at?.toISOString() ?? null,
    host_notified: row.host_notified,
    livemode: row.mode === 'live',
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };

  if (row.type === 'visitor') {
    return {
      ...common,
      type: 'visitor',
      host_id: required(row.host_id, row, 'host_id'),
      visitor: {
        name: required(row.visitor_name, row, 'visitor_name'),
        email: required(row.visitor_email, row, 'visitor_email'),
        company: row.visitor_company,
      },
    };
  }
  return {
    ...common,
    type: 'driver',
    driver: {
      name: required(row.driver_name, row, 'driver_name'),
      license_number: required(row.driver_license_number, row, 'driver_license_number'),
    },
    shipment: {
      bol_ref: required(row.shipment_bol_ref, row, 'shipment_bol_ref'),
      type: required(row.shipment_type, row, 'shipment_type'),
      hazmat: required(row.shipment_hazmat, row, 'shipment_hazmat'),
    },
    vehicle: {
      tractor_plate: required(row.tractor_plate, row, 'tractor_plate'),
      trailer_plate: row.trailer_plate,
    },
  };
}

/** The table's check constraint guarantees these columns per visit type; a null here is a bug. */
function required<T>(value: T | null, row: VisitRow, column: string): T {
  if (value === null) throw new Error(`Visit ${row.id} has no ${column}, which its type requires.`);
  return value;
}
