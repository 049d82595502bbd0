import type { Handlers } from '../../generated/operations.gen';
import { invalidField, notFound } from '../../http/problem';
import { serializeLocation } from '../../resources/serialize';
import { isTimeZone } from '../../resources/time-zone';

/** PATCH /v1/locations/{id}: changes only the fields given. */
export const updateLocation: Handlers['updateLocation'] = async (c) => {
  const { scope } = c.auth;
  const { timezone } = c.body;
  if (timezone !== undefined && !isTimeZone(timezone)) {
    throw invalidField('timezone', `Unknown time zone "${timezone}"; use an IANA name such as America/Monterrey.`);
  }

  const row = await c.db
    .updateTable('locations')
    .set({ ...c.body, updated_at: new Date() })
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound('location', c.params.id);

  return { status: 200, body: serializeLocation(row) };
};
