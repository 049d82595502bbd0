import type { Kysely } from 'kysely';

import type { Database } from '../../db/schema';
import type { TenantScope } from '../../http/operation';
import { renderEmail, type Locale, type RenderedEmail } from '../templates';

/** Renders the email that tells a host their visitor has arrived. */
export async function renderHostArrival(db: Kysely<Database>, scope: TenantScope, visitId: string, locale: Locale): Promise<RenderedEmail> {
  const visit = await db
    .selectFrom('visits')
    .innerJoin('hosts', (join) =>
      join.onRef('hosts.tenant_id', '=', 'visits.tenant_id').onRef('hosts.mode', '=', 'visits.mode').onRef('hosts.id', '=', 'visits.host_id'),
    )
    .innerJoin('locations', (join) =>
      join
        .onRef('locations.tenant_id', '=', 'visits.tenant_id')
        .onRef('locations.mode', '=', 'visits.mode')
        .onRef('locations.id', '=', 'visits.location_id'),
    )
    .select([
      'visits.id',
      'visits.visitor_name',
      'visits.visitor_company',
      'visits.checked_in_at',
      'hosts.name as host_name',
      'locations.name as location_name',
      'locations.timezone',
    ])
    .where('visits.tenant_id', '=', scope.tenantId)
    .where('visits.mode', '=', scope.mode)
    .where('visits.id', '=', visitId)
    .executeTakeFirstOrThrow();

  const arrivedAt = visit.checked_in_at ?? new Date();
  const checkedInTime = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: visit.timezone }).format(arrivedAt);
  return renderEmail('host-arrival', locale, {
    host_name: visit.host_name,
    visitor_name: visit.visitor_name ?? '',
    visitor_company_suffix: visit.visitor_company ? ` (${visit.visitor_company})` : '',
    location_name: visit.location_name,
    checked_in_time: checkedInTime,
    visit_id: visit.id,
  });
}
