import type { Kysely } from 'kysely';

import type { Sealer } from '../crypto/sealing';
import type { Database } from '../db/schema';
import type { Logger } from '../log';
import { renderHostArrival } from './emails/host-arrival';
import { renderPreRegistrationInvite } from './emails/pre-registration-invite';
import type { Mailer, OutgoingEmail } from './mailer';
import { SigningKeyRetiredError } from '../checkin/pre-registration-token';
import type { TaskPayloads } from './queue';
import { renderEmail } from './templates';

export interface EmailDependencies {
  db: Kysely<Database>;
  mailer: Mailer;
  sealer: Sealer;
  log: Logger;
}

/**
 * Sends one row of `outbound_emails`. A row already marked sent is skipped, so a repeated job
 * sends again only if the process died between sending and marking, and then with the same
 * Message-ID.
 */
export async function sendEmail(payload: TaskPayloads['send_email'], deps: EmailDependencies): Promise<void> {
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

  const scope = { tenantId: email.tenant_id, mode: email.mode };
  let content: Omit<OutgoingEmail, 'to' | 'messageId'>;
  if (email.kind === 'host_arrival') {
    content = await renderHostArrival(db, scope, required(email.visit_id, email.id), email.locale);
  } else if (email.kind === 'webhook_endpoint_disabled') {
    content = await renderEmail('webhook-endpoint-disabled', email.locale, email.template_data ?? {});
  } else {
    try {
      content = await renderPreRegistrationInvite(db, deps.sealer, scope, required(email.pre_registration_id, email.id), email.locale);
    } catch (error) {
      // A retired key invalidated the QR code on purpose; retrying cannot help, so the invitation is dropped.
      if (!(error instanceof SigningKeyRetiredError)) throw error;
      log.warn({ email_id: email.id, pre_registration_id: email.pre_registration_id }, 'invitation not sent: its signing key was retired');
      return;
    }
  }

  const messageId = `<${email.id}@visitorflow.invalid>`;
  await mailer.send({ to: email.recipient, messageId, ...content });
  await db
    .updateTable('outbound_emails')
    .set({ sent_at: new Date(), message_id: messageId })
    .where('tenant_id', '=', email.tenant_id)
    .where('mode', '=', email.mode)
    .where('id', '=', email.id)
    .execute();
  log.info(
    { email_id: email.id, kind: email.kind, visit_id: email.visit_id, pre_registration_id: email.pre_registration_id, webhook_endpoint_id: email.webhook_endpoint_id },
    'email sent',
  );
}

function required(id: string | null, emailId: string): string {
  if (id === null) throw new Error(`Email ${emailId} names no object to write about.`);
  return id;
}
