import { defaultNda, ndaFromRow, serializeNda, type NdaVersion } from '../../checkin/nda';
import type { Handlers } from '../../generated/operations.gen';
import { notFound } from '../../http/problem';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor } from '../../resources/pagination';

/**
 * GET /v1/locations/{id}/nda-documents: newest version first, ending with version 0 (the
 * default text). Pages by version: the cursor carries the last version returned.
 */
export const listNdaDocuments: Handlers['listNdaDocuments'] = async (c) => {
  const { scope } = c.auth;
  const limit = c.query.limit ?? DEFAULT_PAGE_SIZE;
  const location = await c.db
    .selectFrom('locations')
    .select('id')
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .executeTakeFirst();
  if (!location) throw notFound('location', c.params.id);

  // The cursor's id field is the version number as text; its time part is not used here.
  const below = c.query.cursor !== undefined ? Number(decodeCursor(c.query.cursor).id) : Number.POSITIVE_INFINITY;
  const rows = await c.db
    .selectFrom('nda_documents')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('location_id', '=', location.id)
    .$if(Number.isFinite(below), (q) => q.where('version', '<', below))
    .orderBy('version', 'desc')
    .limit(limit + 1)
    .execute();

  const versions: NdaVersion[] = rows.map(ndaFromRow);
  if (versions.length <= limit && below > 0) versions.push(await defaultNda());

  const page = versions.slice(0, limit);
  const last = page.at(-1);
  const next_cursor = versions.length > limit && last ? encodeCursor({ createdAt: new Date(0), id: String(last.version) }) : null;
  return { status: 200, body: { data: page.map((version) => serializeNda(version, location.id)), next_cursor } };
};
