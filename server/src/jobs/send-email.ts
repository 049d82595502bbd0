import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import type { Logger } from '../log';
import type { Mailer } from './mailer';
import type { TaskPayloads } from './queue';
import { renderEmail } from './templates';

/**
 * Sends one row of `outbound_emails`. A row already marked sent is skipped, so a job that
 * runs again after a crash between sending and marking does not email twice except in that
 * narrow window, and then with the same Message-ID.
 */
export async function sendEmail(
  payload: TaskPayloads['send_email'],
  deps: { db: Kysely<Database>; mailer: Mailer; log: Logger },
): Promise<void> {
  const { db, mailer, log } = deps;
  const email = await db
    .selectFrom('outbound_emails')
    .selectAll()
    .where('tenant_id', '=', payload.tenant_id)
    .where('mode', '=', payload.mode)
    .where('id', '=', payload.email_id)
    .executeTakeFirst();
  if (!email) {
    log.warn({ email_id: payload.email_id }, 'email job names a row that does not exist; dropping it');
    return;
  }
  if (email.sent_at !== null) {
    log.info({ email_id: email.id }, 'email already sent; skipping the repeated job');
    return;
  }

  const rendered =
    email.kind === 'webhook_endpoint_disabled'
      ? await renderEmail('webhook-endpoint-disabled', email.locale, email.template_data ?? {})
      : await renderHostArrival(db, email.tenant_id, email.mode, email.visit_id, email.locale);
  const messageId = `<${email.id}@visitorflow.invalid>`;
  await mailer.send({ to: email.recipient, messageId, ...rendered });
  await db
    .updateTable('outbound_emails')
    .set({ sent_at: new Date(), message_id: messageId })
    .where('tenant_id', '=', email.tenant_id)
    .where('mode', '=', email.mode)
    .where('id', '=', email.id)
    .execute();
  log.info({ email_id: email.id, kind: email.kind, visit_id: email.visit_id, webhook_endpoint_id: email.webhook_endpoint_id }, 'email sent');
}

async function renderHostArrival(
  db: Kysely<Database>,
  tenantId: string,
  mode: 'live' | 'test',
  visitId: string | null,
  locale: 'en' | 'es-MX',
) {
  if (visitId === null) throw new Error('A host arrival email needs a visit.');
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
    .where('visits.tenant_id', '=', tenantId)
    .where('visits.mode', '=', mode)
    .where('visits.id', '=', visitId)
    .executeTakeFirstOrThrow();

  const checkedInTime = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: visit.timezone }).format(visit.checked_in_at);
  return renderEmail('host-arrival', locale, {
    host_name: visit.host_name,
    visitor_name: visit.visitor_name ?? '',
    visitor_company_suffix: visit.visitor_company ? ` (${visit.visitor_company})` : '',
    location_name: visit.location_name,
    checked_in_time: checkedInTime,
    visit_id: visit.id,
  });
}
