import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

import type { Mode } from '../http/operation';

/** A timestamptz column: read as Date, written as Date or an ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/** Control-plane table: one row per customer company. */
export interface TenantTable {
  id: string;
  name: string;
  created_at: CreatedAt;
}

/**
 * Control-plane table: API keys. Looked up by the hash of the secret before the tenant is
 * known, so it is keyed by that hash rather than by tenant (a reference table under Citus).
 */
export interface ApiKeyTable {
  id: string;
  tenant_id: string;
  mode: Mode;
  /** Hex SHA-256 of the whole secret; the secret itself is never stored. */
  secret_hash: string;
  /** The last four characters of the secret, so people can tell keys apart in listings. */
  secret_last4: string;
  name: string | null;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
}

export interface LocationTable {
  tenant_id: string;
  mode: Mode;
  id: string;
  name: string;
  address: string | null;
  timezone: string;
  locale: 'en' | 'es-MX';
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface HostTable {
  tenant_id: string;
  mode: Mode;
  id: string;
  location_id: string;
  name: string;
  email: string;
  phone: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type VisitStatus = 'onsite' | 'checked_out';

export interface VisitTable {
  tenant_id: string;
  mode: Mode;
  id: string;
  type: 'visitor' | 'driver';
  status: VisitStatus;
  location_id: string;
  host_id: string | null;
  visitor_name: string | null;
  visitor_email: string | null;
  visitor_company: string | null;
  driver_name: string | null;
  driver_license_number: string | null;
  shipment_bol_ref: string | null;
  shipment_type: 'delivery' | 'pickup' | null;
  shipment_hazmat: boolean | null;
  tractor_plate: string | null;
  trailer_plate: string | null;
  host_notified: boolean;
  checked_in_at: Timestamp;
  checked_out_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/**
 * Emails the background worker sends. The row is written in the transaction that causes the
 * email, and `sent_at` records delivery, so a retried job never sends twice.
 */
export interface OutboundEmailTable {
  tenant_id: string;
  mode: Mode;
  id: string;
  kind: 'host_arrival';
  visit_id: string | null;
  recipient: string;
  locale: 'en' | 'es-MX';
  sent_at: Timestamp | null;
  message_id: string | null;
  created_at: Timestamp;
}

/** A tenant's negotiated budgets, replacing the defaults for both live and test traffic. */
export interface TenantRateLimitTable {
  tenant_id: string;
  reads_per_minute: number;
  writes_per_minute: number;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The first response to a write sent with an Idempotency-Key, replayed to retries of it. */
export interface IdempotencyKeyTable {
  tenant_id: string;
  mode: Mode;
  key: string;
  /** Hex SHA-256 over method, path and body, so a reused key with another request is detected. */
  request_hash: string;
  state: 'running' | 'done';
  response_status: number | null;
  response_content_type: string | null;
  response_body: Buffer | null;
  /** While `running`, other requests with the key get 409 until then; a crashed request's lock lapses. */
  locked_until: Timestamp;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

export interface Database {
  tenants: TenantTable;
  api_keys: ApiKeyTable;
  locations: LocationTable;
  hosts: HostTable;
  visits: VisitTable;
  outbound_emails: OutboundEmailTable;
  tenant_rate_limits: TenantRateLimitTable;
  idempotency_keys: IdempotencyKeyTable;
}

export type LocationRow = Selectable<LocationTable>;
export type HostRow = Selectable<HostTable>;
export type VisitRow = Selectable<VisitTable>;
export type NewVisit = Insertable<VisitTable>;
