import type { Transaction } from 'kysely';

import type { Database } from '../../db/schema';
import type { Handlers } from '../../generated/operations.gen';
import { recordEvent } from '../../events/record';
import type { TenantScope } from '../../http/operation';
import { conflict, invalidField } from '../../http/problem';
import { newId } from '../../ids';
import { serializeIncident } from '../../resources/serialize-incident';

// Clocks of reporting devices drift; a report a little ahead of ours is still accepted.
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** POST /v1/incidents: records the incident and `incident.created` in one transaction. */
export const createIncident: Handlers['createIncident'] = async (c) => {
  const { scope } = c.auth;
  const body = c.body;
  const now = new Date();
  const occurredAt = body.occurred_at === undefined ? now : new Date(body.occurred_at);
  if (occurredAt.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
    throw invalidField('occurred_at', `Must not be more than 5 minutes in the future (server time ${now.toISOString()}).`);
  }

  const row = await c.db.transaction().execute(async (trx) => {
    const locationId = await resolveLocation(trx, scope, body.visit_id, body.location_id);
    const incident = await trx
      .insertInto('incidents')
      .values({
        tenant_id: scope.tenantId,
        mode: scope.mode,
        id: body.id ?? newId('inc'),
        type: body.type,
        severity: body.severity,
        summary: body.summary,
        status: 'open',
        visit_id: body.visit_id ?? null,
        location_id: locationId,
        occurred_at: occurredAt,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'mode', 'id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!incident) throw conflict(`An incident with id "${body.id}" already exists.`);

    await recordEvent(trx, scope, 'incident.created', serializeIncident(incident));
    return incident;
  });

  return { status: 201, body: serializeIncident(row) };
};

/**
 * Checks the visit and location named in the body and returns the incident's location: the
 * one given, else the visit's. Unknown ids (another tenant's included) are 400s naming the field.
 */
async function resolveLocation(trx: Transaction<Database>, scope: TenantScope, visitId: string | undefined, locationId: string | undefined): Promise<string | null> {
  if (locationId !== undefined) {
    const location = await trx
      .selectFrom('locations')
      .select('id')
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', locationId)
      .executeTakeFirst();
    if (!location) throw invalidField('location_id', `No location with id "${locationId}".`);
  }
  if (visitId === undefined) return locationId ?? null;

  const visit = await trx
    .selectFrom('visits')
    .select('location_id')
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', visitId)
    .executeTakeFirst();
  if (!visit) throw invalidField('visit_id', `No visit with id "${visitId}".`);
  if (locationId !== undefined && visit.location_id !== locationId) {
    throw invalidField('location_id', `Visit "${visitId}" took place at "${visit.location_id}", not "${locationId}"; omit location_id to use the visit's.`);
  }
  return visit.location_id;
}
