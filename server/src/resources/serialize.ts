import type { components } from '../generated/openapi-types.gen';
import type { HostRow, KioskRow, LocationRow, PreRegistrationRow, VisitRow } from '../db/schema';

type Schemas = components['schemas'];

export function serializeLocation(row: LocationRow): Schemas['Location'] {
  return {
    id: row.id,
    name: row.name,
    address: row.address,
    timezone: row.timezone,
    locale: row.locale,
    checkin_window_before_minutes: row.checkin_window_before_minutes,
    checkin_window_after_minutes: row.checkin_window_after_minutes,
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
    checked_in_at: row.checked_in_at?.toISOString() ?? null,
    checked_out_at: row.checked_out_at?.toISOString() ?? null,
    host_notified: row.host_notified,
    pre_registration_id: row.pre_registration_id,
    kiosk_id: row.kiosk_id,
    has_photo: row.photo_key !== null,
    nda:
      row.nda_accepted_at && row.nda_version !== null && row.nda_locale && row.nda_signer_name && row.nda_signature
        ? {
            version: row.nda_version,
            locale: row.nda_locale,
            signer_name: row.nda_signer_name,
            signature: row.nda_signature,
            accepted_at: row.nda_accepted_at.toISOString(),
          }
        : null,
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

/** Returns a column the table's check constraint guarantees for the visit type, so a null here is a bug. */
function required<T>(value: T | null, row: VisitRow, column: string): T {
  if (value === null) throw new Error(`Visit ${row.id} has no ${column}, which its type requires.`);
  return value;
}

/** Returns the API status, in which a scheduled pre-registration past its check-in window is `expired`. */
export function preRegistrationStatus(row: PreRegistrationRow, now = new Date()): Schemas['PreRegistrationStatus'] {
  if (row.status === 'scheduled' && row.valid_until.getTime() < now.getTime()) return 'expired';
  return row.status;
}

export function serializePreRegistration(row: PreRegistrationRow): Schemas['PreRegistration'] {
  return {
    id: row.id,
    status: preRegistrationStatus(row),
    host_id: row.host_id,
    location_id: row.location_id,
    visitor: { name: row.visitor_name, email: row.visitor_email, company: row.visitor_company, phone: row.visitor_phone },
    scheduled_at: row.scheduled_at.toISOString(),
    window_minutes: row.window_minutes,
    valid_from: row.valid_from.toISOString(),
    valid_until: row.valid_until.toISOString(),
    locale: row.locale,
    notes: row.notes,
    check_in_code: row.check_in_code,
    qr_code_url: `/v1/prereg/qr/${row.id}.png`,
    visit_id: row.visit_id,
    checked_in_at: row.checked_in_at?.toISOString() ?? null,
    cancelled_at: row.cancelled_at?.toISOString() ?? null,
    livemode: row.mode === 'live',
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function serializeKiosk(row: KioskRow): Schemas['Kiosk'] {
  return {
    id: row.id,
    name: row.name,
    location_id: row.location_id,
    status: row.status,
    paired_at: row.paired_at?.toISOString() ?? null,
    last_seen_at: row.last_seen_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
    livemode: row.mode === 'live',
    created_at: row.created_at.toISOString(),
  };
}
