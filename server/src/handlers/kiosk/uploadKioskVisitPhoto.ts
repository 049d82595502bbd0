import { completeIfReady, lockKioskVisit } from '../../checkin/complete-visit';
import { sniffImageType } from '../../checkin/photos';
import type { Handlers } from '../../generated/operations.gen';
import { conflict, HttpError, notFound } from '../../http/problem';
import { serializeVisit } from '../../resources/serialize';

/** PUT /v1/kiosk/visits/{id}/photo: stores the photo, checked by content, and completes the visit when the NDA is signed. */
export const uploadKioskVisitPhoto: Handlers['uploadKioskVisitPhoto'] = async (c) => {
  const { scope, locationId } = c.auth;
  const declared = c.req.get('content-type')?.split(';')[0]?.trim();
  const bytes = Buffer.isBuffer(c.req.body) ? c.req.body : Buffer.alloc(0);
  const actual = sniffImageType(bytes);
  if (!actual || actual !== declared) {
    throw new HttpError({
      status: 415,
      code: 'invalid-image',
      title: 'Unsupported media type',
      detail: `The body is not a ${declared === 'image/png' ? 'PNG' : 'JPEG'} image. Send a JPEG or PNG with the matching Content-Type.`,
    });
  }

  const row = await c.db.transaction().execute(async (trx) => {
    const visit = await lockKioskVisit(trx, scope, locationId, c.params.id);
    if (!visit) throw notFound('visit', c.params.id);
    if (visit.status !== 'pending') throw conflict(`Visit "${visit.id}" is ${visit.status}; photos are taken while it is pending.`);

    const key = `${scope.tenantId}/${scope.mode}/visits/${visit.id}/photo.${actual === 'image/png' ? 'png' : 'jpg'}`;
    await c.services.blobs.put(key, bytes);
    const updated = await trx
      .updateTable('visits')
      .set({ photo_key: key, photo_content_type: actual, updated_at: new Date() })
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', visit.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return completeIfReady(trx, scope, updated);
  });

  return { status: 200, body: serializeVisit(row) };
};
