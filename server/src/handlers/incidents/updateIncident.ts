import type { Updateable } from 'kysely';

import type { IncidentTable } from '../../db/schema';
import type { Handlers } from '../../generated/operations.gen';
import type { components } from '../../generated/openapi-types.gen';
import { recordEvent } from '../../events/record';
import { conflict, notFound } from '../../http/problem';
import { serializeIncident } from '../../resources/serialize-incident';

type IncidentStatus = components['schemas']['IncidentStatus'];

/** The statuses each status may move to; resolved and dismissed are final. */
const NEXT_STATUSES: Record<IncidentStatus, IncidentStatus[]> = {
  open: ['investigating', 'resolved', 'dismissed'],
  investigating: ['resolved', 'dismissed'],
  resolved: [],
  dismissed: [],
};

/**
 * PATCH /v1/incidents/{id}: moves the status forward and sets notes and assignee. A request
 * that changes something records `incident.updated` in the same transaction; one that
 * repeats the current values changes nothing and records no event.
 */
export const updateIncident: Handlers['updateIncident'] = async (c) => {
  const { scope } = c.auth;
  const body = c.body;
  const now = new Date();

  const row = await c.db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('incidents')
      .selectAll()
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', c.params.id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw notFound('incident', c.params.id);

    const changes: Updateable<IncidentTable> = {};
    if (body.status !== undefined && body.status !== current.status) {
      if (!NEXT_STATUSES[current.status].includes(body.status)) {
        const allowed = NEXT_STATUSES[current.status];
        const hint = allowed.length > 0 ? `it may move to ${allowed.join(', ')}` : 'it is final';
        throw conflict(`Incident "${current.id}" is ${current.status}, so it cannot become ${body.status}; ${hint}.`);
      }
      changes.status = body.status;
      if (body.status === 'resolved' || body.status === 'dismissed') changes.closed_at = now;
    }
    if (body.resolution_notes !== undefined && body.resolution_notes !== current.resolution_notes) changes.resolution_notes = body.resolution_notes;
    if (body.assignee !== undefined && body.assignee !== current.assignee) changes.assignee = body.assignee;
    if (Object.keys(changes).length === 0) return current;

    const updated = await trx
      .updateTable('incidents')
      .set({ ...changes, updated_at: now })
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordEvent(trx, scope, 'incident.updated', serializeIncident(updated));
    return updated;
  });

  return { status: 200, body: serializeIncident(row) };
};
