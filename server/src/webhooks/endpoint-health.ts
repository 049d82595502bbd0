import type { Transaction } from 'kysely';

import type { Database } from '../db/schema';
import type { TenantScope } from '../http/operation';
import type { Logger } from '../log';
import { disableEndpoint } from './disable';

const FAILING_ENDPOINT_MS = 24 * 60 * 60 * 1000;

/**
 * Keeps the endpoint's failure streak: a success ends it, a failure starts it if needed, and
 * a streak of 24 hours (every attempt failed since) or a 410 answer disables the endpoint.
 */
export async function trackEndpointHealth(
  trx: Transaction<Database>,
  scope: TenantScope,
  endpointId: string,
  outcome: { succeeded: boolean; gone: boolean; attemptAt: Date; now: Date },
  log: Logger,
): Promise<void> {
  const endpoint = await trx
    .selectFrom('webhook_endpoints')
    .select(['failing_since', 'enabled'])
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', endpointId)
    .executeTakeFirst();
  if (!endpoint) return;

  const setFailingSince = (value: Date | null) =>
    trx
      .updateTable('webhook_endpoints')
      .set({ failing_since: value })
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', endpointId)
      .execute();
  if (outcome.succeeded) {
    if (endpoint.failing_since !== null) await setFailingSince(null);
    return;
  }

  const failingSince = endpoint.failing_since ?? outcome.attemptAt;
  if (endpoint.failing_since === null) await setFailingSince(failingSince);
  if (!endpoint.enabled) return;
  if (outcome.gone) await disableEndpoint(trx, scope, endpointId, 'gone', outcome.now, log);
  else if (outcome.now.getTime() - failingSince.getTime() >= FAILING_ENDPOINT_MS) await disableEndpoint(trx, scope, endpointId, 'failing', outcome.now, log);
}
