import type { Kysely, Transaction } from 'kysely';

import type { Config } from '../config';
import type { Database, WebhookEndpointRow } from '../db/schema';
import type { TenantScope } from '../http/operation';
import { invalidField, notFound } from '../http/problem';
import { resolveWebhookTarget, WebhookTargetError, type Resolver } from './target';

/** Loads an endpoint of the caller's tenant and mode, or throws 404; `forUpdate` locks the row. */
export async function findEndpoint(
  db: Kysely<Database> | Transaction<Database>,
  scope: TenantScope,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<WebhookEndpointRow> {
  let query = db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', scope.tenantId).where('mode', '=', scope.mode).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('webhook endpoint', id);
  return row;
}

/**
 * Checks a webhook URL from a request body and returns it normalized, or throws a 400 naming
 * `url`. The same check runs again before every delivery, because DNS answers change.
 */
export async function checkEndpointUrl(raw: string, config: Pick<Config, 'allowPrivateWebhookUrls'>, resolver?: Resolver): Promise<string> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidField('url', 'Must be an absolute URL, such as https://hooks.example.com/visitorflow.');
  }
  try {
    await resolveWebhookTarget(url, { allowPrivate: config.allowPrivateWebhookUrls, resolver });
  } catch (error) {
    if (error instanceof WebhookTargetError) throw invalidField('url', error.message);
    throw error;
  }
  return url.toString();
}
