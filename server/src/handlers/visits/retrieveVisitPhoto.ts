import type { Handlers } from '../../generated/operations.gen';
import { HttpError, notFound } from '../../http/problem';

/** GET /v1/visits/{id}/photo: the kiosk photo, from blob storage. */
export const retrieveVisitPhoto: Handlers['retrieveVisitPhoto'] = async (c) => {
  const { scope } = c.auth;
  const visit = await c.db
    .selectFrom('visits')
    .select(['photo_key', 'photo_content_type'])
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .executeTakeFirst();
  if (!visit) throw notFound('visit', c.params.id);
  if (!visit.photo_key || !visit.photo_content_type) {
    throw new HttpError({ status: 404, code: 'not-found', title: 'Not found', detail: `Visit "${c.params.id}" has no photo.` });
  }

  const bytes = await c.services.blobs.get(visit.photo_key);
  if (!bytes) throw new Error(`Photo ${visit.photo_key} of visit ${c.params.id} is missing from blob storage.`);
  return { status: 200, body: bytes, contentType: visit.photo_content_type, headers: { 'cache-control': 'private, max-age=300' } };
};
