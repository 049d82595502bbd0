import type { EventRow } from '../db/schema';
import type { components } from '../generated/openapi-types.gen';

/** Converts an event row to its API form, which is also the body of its webhook deliveries. */
export function serializeEvent(row: EventRow): components['schemas']['Event'] {
  return {
    id: row.id,
    type: row.type,
    created_at: row.created_at.toISOString(),
    livemode: row.mode === 'live',
    data: { object: row.data.object },
  };
}
