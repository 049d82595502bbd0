import type { Handlers } from '../../generated/operations.gen';
import { invalidField, notFound } from '../../http/problem';
import { serializeLocation } from '../../resources/serialize';
import { canonicalTimeZone } from '../../resources/time-zone';

/** PATCH /v1/locations/{id}: changes only the fields given. */
export const updateLocation: Handlers['updateLocation'] = async (c) => {
  const { scope } = c.auth;
  const changes = { ...c.body };
  if (changes.timezone !== undefined) {
    const timezone = canonicalTimeZone(changes.timezone);
    if (!timezone) throw invalidField('timezone', `Unknown time zone "${changes.timezone}"; use an IANA name such as America/Monterrey.`);
    changes.timezone = timezone;
  }

  const row = await c.db
    .updateTable('locations')
    .set({ ...changes, updated_at: new Date() })
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound('location', c.params.id);

  return { status: 200, body: serializeLocation(row) };
};
