import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

import type { components } from '../generated/openapi-types.gen';
import type { Mode } from '../http/operation';

type Schemas = components['schemas'];
export type EventType = Schemas['EventType'];

/** A timestamptz column: read as Date, written as Date or an ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/** Control-plane table: one row per customer company. */
export interface TenantTable {
  id: string;
  name: string;
  /** The address for operational email, such as the notice that a webhook endpoint was disabled. */
  contact_email: string | null;
  contact_locale: Generated<'en' | 'es-MX'>;
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
  checkin_window_before_minutes: Generated<number>;
  checkin_window_after_minutes: Generated<number>;
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
  /** The name in lower case without accents, for the kiosk's host search. */
  search_name: string;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type VisitStatus = 'pending' | 'onsite' | 'checked_out';

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
  /** Null while the visit is pending. */
  checked_in_at: Timestamp | null;
  checked_out_at: Timestamp | null;
  pre_registration_id: ColumnType<string | null, string | null | undefined, string | null>;
  kiosk_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Blob storage key of the kiosk photo. */
  photo_key: ColumnType<string | null, string | null | undefined, string | null>;
  photo_content_type: ColumnType<'image/jpeg' | 'image/png' | null, 'image/jpeg' | 'image/png' | null | undefined, 'image/jpeg' | 'image/png' | null>;
  nda_version: ColumnType<number | null, number | null | undefined, number | null>;
  nda_locale: ColumnType<'en' | 'es-MX' | null, 'en' | 'es-MX' | null | undefined, 'en' | 'es-MX' | null>;
  nda_signer_name: ColumnType<string | null, string | null | undefined, string | null>;
  nda_signature: ColumnType<'drawn' | 'typed' | null, 'drawn' | 'typed' | null | undefined, 'drawn' | 'typed' | null>;
  /** Blob storage key of a drawn signature. */
  nda_signature_key: ColumnType<string | null, string | null | undefined, string | null>;
  nda_typed_name: ColumnType<string | null, string | null | undefined, string | null>;
  nda_accepted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
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
  kind: 'host_arrival' | 'webhook_endpoint_disabled' | 'pre_registration_invite';
  visit_id: string | null;
  webhook_endpoint_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Template values for kinds whose subject may be gone when the email is sent. */
  template_data: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
  pre_registration_id: ColumnType<string | null, string | null | undefined, string | null>;
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

/** One change, with the object as the API returned it then; webhook deliveries send this. */
export interface EventTable {
  tenant_id: string;
  mode: Mode;
  id: string;
  type: EventType;
  /** `{ "object": … }`, written as a JSON string. */
  data: ColumnType<{ object: Record<string, unknown> }, string, never>;
  created_at: Timestamp;
}

export interface WebhookEndpointTable {
  tenant_id: string;
  mode: Mode;
  id: string;
  url: string;
  description: string | null;
  /** null subscribes to every event type. */
  event_types: EventType[] | null;
  enabled: Generated<boolean>;
  disabled_reason: 'manual' | 'gone' | 'failing' | null;
  disabled_at: Timestamp | null;
  /** Time of the first failed attempt since the last success; null while deliveries succeed. */
  failing_since: Timestamp | null;
  /** The signing secret, sealed with WEBHOOK_SECRET_KEY (see webhooks/secret-box.ts). */
  secret_ciphertext: string;
  /** The secret before the last rotation, which keeps signing until `previous_secret_expires_at`. */
  previous_secret_ciphertext: string | null;
  previous_secret_expires_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** One event to one endpoint, retried until it succeeds or 24 hours pass. */
export interface WebhookDeliveryTable {
  tenant_id: string;
  mode: Mode;
  id: string;
  event_id: string;
  endpoint_id: string;
  status: DeliveryStatus;
  attempts: Generated<number>;
  first_attempt_at: Timestamp | null;
  next_attempt_at: Timestamp | null;
  /** Set while an attempt is in flight; a worker that dies leaves it to lapse. */
  locked_until: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookDeliveryAttemptTable {
  tenant_id: string;
  mode: Mode;
  id: string;
  delivery_id: string;
  endpoint_id: string;
  event_id: string;
  attempt: number;
  succeeded: boolean;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  next_retry_at: Timestamp | null;
  created_at: Timestamp;
}

export interface IncidentTable {
  tenant_id: string;
  mode: Mode;
  id: string;
  type: Schemas['IncidentType'];
  severity: Schemas['IncidentSeverity'];
  summary: string;
  status: Schemas['IncidentStatus'];
  visit_id: string | null;
  location_id: string | null;
  occurred_at: Timestamp;
  resolution_notes: string | null;
  assignee: string | null;
  closed_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Keys that sign pre-registration QR tokens; the newest unretired one signs, every unretired one verifies. */
export interface TenantSigningKeyTable {
  tenant_id: string;
  id: string;
  /** The key, encrypted with the server's secret key (see crypto/sealing.ts). */
  secret_sealed: string;
  created_at: CreatedAt;
  retired_at: Timestamp | null;
}

export interface PreRegistrationTable {
  tenant_id: string;
  mode: Mode;
  id: string;
  /** `expired` is not stored: it is a scheduled row whose valid_until has passed. */
  status: 'scheduled' | 'checked_in' | 'cancelled';
  host_id: string;
  location_id: string;
  visitor_name: string;
  visitor_email: string;
  visitor_company: string | null;
  visitor_phone: string | null;
  scheduled_at: Timestamp;
  window_minutes: number | null;
  valid_from: Timestamp;
  valid_until: Timestamp;
  locale: 'en' | 'es-MX';
  notes: string | null;
  check_in_code: string;
  signing_key_id: string;
  visit_id: string | null;
  checked_in_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface KioskTable {
  tenant_id: string;
  mode: Mode;
  id: string;
  location_id: string;
  name: string;
  status: 'unpaired' | 'active' | 'revoked';
  paired_at: Timestamp | null;
  last_seen_at: Timestamp | null;
  revoked_at: Timestamp | null;
  created_at: Timestamp;
}

/** Control-plane lookup of kiosk pairing codes and device tokens by the SHA-256 of the secret. */
export interface KioskCredentialTable {
  secret_hash: string;
  kind: 'pairing_code' | 'device_token';
  tenant_id: string;
  mode: Mode;
  kiosk_id: string;
  expires_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface NdaDocumentTable {
  tenant_id: string;
  mode: Mode;
  location_id: string;
  version: number;
  en_title: string;
  en_body: string;
  es_mx_title: string;
  es_mx_body: string;
  published_at: Timestamp;
}

export interface Database {
  events: EventTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptTable;
  incidents: IncidentTable;
  tenants: TenantTable;
  api_keys: ApiKeyTable;
  locations: LocationTable;
  hosts: HostTable;
  visits: VisitTable;
  outbound_emails: OutboundEmailTable;
  tenant_rate_limits: TenantRateLimitTable;
  idempotency_keys: IdempotencyKeyTable;
  tenant_signing_keys: TenantSigningKeyTable;
  pre_registrations: PreRegistrationTable;
  kiosks: KioskTable;
  kiosk_credentials: KioskCredentialTable;
  nda_documents: NdaDocumentTable;
}

export type PreRegistrationRow = Selectable<PreRegistrationTable>;
export type KioskRow = Selectable<KioskTable>;

export type LocationRow = Selectable<LocationTable>;
export type HostRow = Selectable<HostTable>;
export type VisitRow = Selectable<VisitTable>;
export type NewVisit = Insertable<VisitTable>;
export type EventRow = Selectable<EventTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>;
export type WebhookDeliveryAttemptRow = Selectable<WebhookDeliveryAttemptTable>;
export type IncidentRow = Selectable<IncidentTable>;
