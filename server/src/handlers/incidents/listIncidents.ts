import type { Handlers } from '../../generated/operations.gen';
import { DEFAULT_PAGE_SIZE, pageQuery, toPage } from '../../resources/pagination';
import { serializeIncident } from '../../resources/serialize-incident';

/** GET /v1/incidents: newest first, keyset-paginated; every filter narrows the result. */
export const listIncidents: Handlers['listIncidents'] = async (c) => {
  const { scope } = c.auth;
  const { status, severity, type, location_id, visit_id, cursor } = c.query;
  const limit = c.query.limit ?? DEFAULT_PAGE_SIZE;

  let query = c.db.selectFrom('incidents').selectAll().where('tenant_id', '=', scope.tenantId).where('mode', '=', scope.mode);
  if (status !== undefined) query = query.where('status', '=', status);
  if (severity !== undefined) query = query.where('severity', '=', severity);
  if (type !== undefined) query = query.where('type', '=', type);
  if (location_id !== undefined) query = query.where('location_id', '=', location_id);
  if (visit_id !== undefined) query = query.where('visit_id', '=', visit_id);
  const rows = await pageQuery(query, cursor, limit).execute();

  return { status: 200, body: toPage(rows, limit, serializeIncident) };
};
