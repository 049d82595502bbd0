import type { IncidentRow } from '../db/schema';
import type { components } from '../generated/openapi-types.gen';

export function serializeIncident(row: IncidentRow): components['schemas']['Incident'] {
  return {
    id: row.id,
    type: row.type,
    severity: row.severity,
    summary: row.summary,
    status: row.status,
    visit_id: row.visit_id,
    location_id: row.location_id,
    occurred_at: row.occurred_at.toISOString(),
    resolution_notes: row.resolution_notes,
    assignee: row.assignee,
    closed_at: row.closed_at?.toISOString() ?? null,
    livemode: row.mode === 'live',
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
