import type { Handlers } from '../../generated/operations.gen';
import { newId } from '../../ids';
import { conflict, invalidField } from '../../http/problem';
import { serializeLocation } from '../../resources/serialize';
import { canonicalTimeZone } from '../../resources/time-zone';

/** POST /v1/locations: creates a location, with the caller's id when one is given. */
export const createLocation: Handlers['createLocation'] = async (c) => {
  const { scope } = c.auth;
  const requested = c.body.timezone ?? 'UTC';
  const timezone = canonicalTimeZone(requested);
  if (!timezone) throw invalidField('timezone', `Unknown time zone "${requested}"; use an IANA name such as America/Monterrey.`);

  const now = new Date();
  const row = await c.db
    .insertInto('locations')
    .values({
      tenant_id: scope.tenantId,
      mode: scope.mode,
      id: c.body.id ?? newId('loc'),
      name: c.body.name,
      address: c.body.address ?? null,
      timezone,
      locale: c.body.locale ?? 'en',
      ...(c.body.checkin_window_before_minutes !== undefined ? { checkin_window_before_minutes: c.body.checkin_window_before_minutes } : {}),
      ...(c.body.checkin_window_after_minutes !== undefined ? { checkin_window_after_minutes: c.body.checkin_window_after_minutes } : {}),
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'mode', 'id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw conflict(`A location with id "${c.body.id}" already exists.`);

  return { status: 201, body: serializeLocation(row) };
};
