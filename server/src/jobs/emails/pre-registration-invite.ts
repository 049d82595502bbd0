import type { Kysely } from 'kysely';

import { qrPng } from '../../checkin/qr';
import { tokenFor } from '../../checkin/pre-registration-token';
import type { Sealer } from '../../crypto/sealing';
import type { Database } from '../../db/schema';
import type { TenantScope } from '../../http/operation';
import type { OutgoingEmail } from '../mailer';
import { renderEmail, type Locale } from '../templates';

/** Renders the visitor's invitation: visit details, the check-in code, and the QR code as an inline image. */
export async function renderPreRegistrationInvite(
  db: Kysely<Database>,
  sealer: Sealer,
  scope: TenantScope,
  preRegistrationId: string,
  locale: Locale,
): Promise<Omit<OutgoingEmail, 'to' | 'messageId'>> {
  const row = await db
    .selectFrom('pre_registrations')
    .innerJoin('hosts', (join) =>
      join
        .onRef('hosts.tenant_id', '=', 'pre_registrations.tenant_id')
        .onRef('hosts.mode', '=', 'pre_registrations.mode')
        .onRef('hosts.id', '=', 'pre_registrations.host_id'),
    )
    .innerJoin('locations', (join) =>
      join
        .onRef('locations.tenant_id', '=', 'pre_registrations.tenant_id')
        .onRef('locations.mode', '=', 'pre_registrations.mode')
        .onRef('locations.id', '=', 'pre_registrations.location_id'),
    )
    .selectAll('pre_registrations')
    .select(['hosts.name as host_name', 'locations.name as location_name', 'locations.address as location_address', 'locations.timezone'])
    .where('pre_registrations.tenant_id', '=', scope.tenantId)
    .where('pre_registrations.mode', '=', scope.mode)
    .where('pre_registrations.id', '=', preRegistrationId)
    .executeTakeFirstOrThrow();

  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: row.timezone });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: row.timezone });
  const rendered = await renderEmail('pre-registration-invite', locale, {
    visitor_name: row.visitor_name,
    host_name: row.host_name,
    location_name: row.location_name,
    location_address_suffix: row.location_address ? `, ${row.location_address}` : '',
    scheduled_date: date.format(row.scheduled_at),
    scheduled_time: time.format(row.scheduled_at),
    time_zone: row.timezone,
    valid_from_time: time.format(row.valid_from),
    valid_until_time: time.format(row.valid_until),
    check_in_code: row.check_in_code,
  });

  const token = await tokenFor(db, sealer, row);
  return {
    ...rendered,
    inlineImages: [{ cid: 'qr-code@visitorflow', filename: 'check-in-qr.png', content: await qrPng(token), contentType: 'image/png' }],
  };
}
