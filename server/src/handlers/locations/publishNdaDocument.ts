import { sql } from 'kysely';

import { ndaFromRow, serializeNda } from '../../checkin/nda';
import type { Handlers } from '../../generated/operations.gen';
import { notFound } from '../../http/problem';

/** POST /v1/locations/{id}/nda-documents: publishes the next version number for the location. */
export const publishNdaDocument: Handlers['publishNdaDocument'] = async (c) => {
  const { scope } = c.auth;
  const { en, 'es-MX': esMx } = c.body.texts;

  const row = await c.db.transaction().execute(async (trx) => {
    // Locking the location serializes publishers, so two at once get consecutive versions.
    const location = await trx
      .selectFrom('locations')
      .select('id')
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', c.params.id)
      .forUpdate()
      .executeTakeFirst();
    if (!location) throw notFound('location', c.params.id);

    return trx
      .insertInto('nda_documents')
      .values((eb) => ({
        tenant_id: scope.tenantId,
        mode: scope.mode,
        location_id: location.id,
        version: eb
          .selectFrom('nda_documents')
          .select(sql<number>`coalesce(max(version), 0) + 1`.as('next'))
          .where('tenant_id', '=', scope.tenantId)
          .where('mode', '=', scope.mode)
          .where('location_id', '=', location.id),
        en_title: en.title,
        en_body: en.body,
        es_mx_title: esMx.title,
        es_mx_body: esMx.body,
        published_at: new Date(),
      }))
      .returningAll()
      .executeTakeFirstOrThrow();
  });

  return { status: 201, body: serializeNda(ndaFromRow(row), row.location_id) };
};
