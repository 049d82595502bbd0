import type { Transaction } from 'kysely';

import type { Database } from '../db/schema';
import { recordEvent } from '../events/record';
import type { TenantScope } from '../http/operation';
import { newId } from '../ids';
import { enqueue } from '../jobs/queue';
import type { Logger } from '../log';
import { serializeWebhookEndpoint } from '../resources/serialize-webhook';

export type AutomaticDisableReason = 'gone' | 'failing';

// Shown in the email to the tenant's contact, in the contact's language.
const REASON_TEXT: Record<'en' | 'es-MX', Record<AutomaticDisableReason, string>> = {
  en: {
    gone: 'it answered 410 Gone, which means the receiver no longer exists',
    failing: 'every delivery to it failed for 24 hours',
  },
  'es-MX': {
    gone: 'respondió 410 Gone, lo que indica que el receptor ya no existe',
    failing: 'todas las entregas fallaron durante 24 horas',
  },
};

/**
 * Disables an endpoint that responded with 410 or failed for 24 hours, in the caller's transaction:
 * records `webhook_endpoint.disabled` (sent to the tenant's other endpoints) and queues an
 * email to the tenant's contact when one is set. An endpoint already disabled is left alone.
 */
export async function disableEndpoint(
  trx: Transaction<Database>,
  scope: TenantScope,
  endpointId: string,
  reason: AutomaticDisableReason,
  now: Date,
  log: Logger,
): Promise<void> {
  const endpoint = await trx
    .updateTable('webhook_endpoints')
    .set({ enabled: false, disabled_reason: reason, disabled_at: now, updated_at: now })
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', endpointId)
    .where('enabled', '=', true)
    .returningAll()
    .executeTakeFirst();
  if (!endpoint) return;

  await recordEvent(trx, scope, 'webhook_endpoint.disabled', serializeWebhookEndpoint(endpoint));
  log.warn({ tenant_id: scope.tenantId, mode: scope.mode, endpoint_id: endpoint.id, reason }, 'webhook endpoint disabled');

  const tenant = await trx.selectFrom('tenants').select(['contact_email', 'contact_locale']).where('id', '=', scope.tenantId).executeTakeFirstOrThrow();
  if (!tenant.contact_email) {
    log.info({ tenant_id: scope.tenantId, endpoint_id: endpoint.id }, 'tenant has no contact email; no notice sent about the disabled endpoint');
    return;
  }

  const emailId = newId('email');
  await trx
    .insertInto('outbound_emails')
    .values({
      tenant_id: scope.tenantId,
      mode: scope.mode,
      id: emailId,
      kind: 'webhook_endpoint_disabled',
      visit_id: null,
      webhook_endpoint_id: endpoint.id,
      template_data: JSON.stringify({
        endpoint_id: endpoint.id,
        url: endpoint.url,
        reason: REASON_TEXT[tenant.contact_locale][reason],
        disabled_at: now.toISOString(),
        mode: scope.mode,
      }),
      recipient: tenant.contact_email,
      locale: tenant.contact_locale,
      created_at: now,
    })
    .execute();
  await enqueue(trx, 'send_email', { tenant_id: scope.tenantId, mode: scope.mode, email_id: emailId }, `email:${emailId}`);
}
