import type { Kysely } from 'kysely';

import type { Database, HostRow, LocationRow } from '../db/schema';
import type { TenantScope } from '../http/operation';
import { invalidField } from '../http/problem';

/**
 * Loads an active location named in a request body, or throws a 400 naming `field`. An id of
 * another tenant or mode reads as unknown, the same as an id that never existed.
 */
export async function requireActiveLocation(db: Kysely<Database>, scope: TenantScope, id: string, field = 'location_id'): Promise<LocationRow> {
  const row = await db
    .selectFrom('locations')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw invalidField(field, `No location with id "${id}".`);
  if (!row.active) throw invalidField(field, `Location "${id}" is deactivated.`);
  return row;
}

/** Loads an active host named in a request body, or throws a 400 naming `field`. */
export async function requireActiveHost(db: Kysely<Database>, scope: TenantScope, id: string, field = 'host_id'): Promise<HostRow> {
  const row = await db
    .selectFrom('hosts')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw invalidField(field, `No host with id "${id}".`);
  if (!row.active) throw invalidField(field, `Host "${id}" is deactivated.`);
  return row;
}
