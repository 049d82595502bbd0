import type { WebhookDeliveryAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from '../db/schema';
import type { components } from '../generated/openapi-types.gen';

type Schemas = components['schemas'];

/** Converts an endpoint row to its API form, which never includes a secret. */
export function serializeWebhookEndpoint(row: WebhookEndpointRow): Schemas['WebhookEndpoint'] {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: row.event_types,
    enabled: row.enabled,
    disabled_reason: row.disabled_reason,
    disabled_at: row.disabled_at?.toISOString() ?? null,
    livemode: row.mode === 'live',
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function serializeWebhookDelivery(row: WebhookDeliveryRow): Schemas['WebhookDelivery'] {
  return {
    id: row.id,
    event_id: row.event_id,
    endpoint_id: row.endpoint_id,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.next_attempt_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
  };
}

export function serializeWebhookDeliveryAttempt(row: WebhookDeliveryAttemptRow): Schemas['WebhookDeliveryAttempt'] {
  return {
    id: row.id,
    delivery_id: row.delivery_id,
    event_id: row.event_id,
    endpoint_id: row.endpoint_id,
    attempt: row.attempt,
    succeeded: row.succeeded,
    status_code: row.status_code,
    duration_ms: row.duration_ms,
    error: row.error,
    next_retry_at: row.next_retry_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
  };
}
