import type { Handlers } from '../../generated/operations.gen';
import { notFound } from '../../http/problem';
import { serializePreRegistration } from '../../resources/serialize';

/** GET /v1/pre-registrations/{id}. */
export const retrievePreRegistration: Handlers['retrievePreRegistration'] = async (c) => {
  const { scope } = c.auth;
  const row = await c.db
    .selectFrom('pre_registrations')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .executeTakeFirst();
  if (!row) throw notFound('pre-registration', c.params.id);

  return { status: 200, body: serializePreRegistration(row) };
};
