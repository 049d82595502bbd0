import { sql } from 'kysely';

import { searchForm } from '../../checkin/codes';
import type { Handlers } from '../../generated/operations.gen';

/**
 * GET /v1/kiosk/hosts?q=: active hosts at the kiosk's location whose name, or any word of it,
 * starts with `q`, compared without case or accents.
 */
export const searchKioskHosts: Handlers['searchKioskHosts'] = async (c) => {
  const { scope, locationId } = c.auth;
  const prefix = searchForm(c.query.q.trim()).replace(/[\\%_]/g, (ch) => `\\${ch}`);
  const limit = c.query.limit ?? 10;

  const rows = await c.db
    .selectFrom('hosts')
    .select(['id', 'name'])
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('location_id', '=', locationId)
    .where('active', '=', true)
    .where((eb) => eb.or([eb('search_name', 'like', `${prefix}%`), eb('search_name', 'like', `% ${prefix}%`)]))
    .orderBy(sql`search_name`)
    .limit(limit)
    .execute();

  return { status: 200, body: { data: rows, next_cursor: null } };
};
