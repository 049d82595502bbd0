import type { Handlers } from '../../generated/operations.gen';
import { searchForm } from '../../checkin/codes';
import { newId } from '../../ids';
import { conflict } from '../../http/problem';
import { requireActiveLocation } from '../../resources/lookups';
import { serializeHost } from '../../resources/serialize';

/** POST /v1/hosts: adds an employee at an active location, with the caller's id when one is given. */
export const createHost: Handlers['createHost'] = async (c) => {
  const { scope } = c.auth;
  await requireActiveLocation(c.db, scope, c.body.location_id);

  const now = new Date();
  const row = await c.db
    .insertInto('hosts')
    .values({
      tenant_id: scope.tenantId,
      mode: scope.mode,
      id: c.body.id ?? newId('h'),
      location_id: c.body.location_id,
      name: c.body.name,
      search_name: searchForm(c.body.name),
      email: c.body.email,
      phone: c.body.phone ?? null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'mode', 'id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) throw conflict(`A host with id "${c.body.id}" already exists.`);

  return { status: 201, body: serializeHost(row) };
};
