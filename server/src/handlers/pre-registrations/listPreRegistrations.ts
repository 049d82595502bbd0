import type { Handlers } from '../../generated/operations.gen';
import { DEFAULT_PAGE_SIZE, pageQuery, toPage } from '../../resources/pagination';
import { serializePreRegistration } from '../../resources/serialize';

/** GET /v1/pre-registrations: newest first; `expired` means scheduled with its window passed. */
export const listPreRegistrations: Handlers['listPreRegistrations'] = async (c) => {
  const { scope } = c.auth;
  const { host_id, location_id, status, scheduled_after, scheduled_before, cursor } = c.query;
  const limit = c.query.limit ?? DEFAULT_PAGE_SIZE;
  const now = new Date();

  let query = c.db.selectFrom('pre_registrations').selectAll().where('tenant_id', '=', scope.tenantId).where('mode', '=', scope.mode);
  if (host_id !== undefined) query = query.where('host_id', '=', host_id);
  if (location_id !== undefined) query = query.where('location_id', '=', location_id);
  if (status === 'expired') query = query.where('status', '=', 'scheduled').where('valid_until', '<', now);
  else if (status === 'scheduled') query = query.where('status', '=', 'scheduled').where('valid_until', '>=', now);
  else if (status !== undefined) query = query.where('status', '=', status);
  if (scheduled_after !== undefined) query = query.where('scheduled_at', '>=', new Date(scheduled_after));
  if (scheduled_before !== undefined) query = query.where('scheduled_at', '<', new Date(scheduled_before));
  const rows = await pageQuery(query, cursor, limit).execute();

  return { status: 200, body: toPage(rows, limit, serializePreRegistration) };
};
