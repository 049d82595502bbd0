import { completeIfReady, lockKioskVisit } from '../../checkin/complete-visit';
import { currentNda } from '../../checkin/nda';
import { SIGNATURE_LIMIT_BYTES, sniffImageType } from '../../checkin/photos';
import type { Handlers } from '../../generated/operations.gen';
import { conflict, invalidField, invalidPayload, notFound } from '../../http/problem';
import { serializeVisit } from '../../resources/serialize';

/** POST /v1/kiosk/visits/{id}/nda: records the signature of the current NDA version and completes the visit when the photo is there. */
export const signKioskVisitNda: Handlers['signKioskVisitNda'] = async (c) => {
  const { scope, locationId } = c.auth;
  const body = c.body;
  if ((body.typed_name === undefined) === (body.signature_png_base64 === undefined)) {
    throw invalidPayload({ typed_name: ['Send either typed_name or signature_png_base64, not both and not neither'] });
  }

  let signature: Buffer | undefined;
  if (body.signature_png_base64 !== undefined) {
    signature = Buffer.from(body.signature_png_base64, 'base64');
    if (signature.length > SIGNATURE_LIMIT_BYTES) throw invalidField('signature_png_base64', `Must be at most ${SIGNATURE_LIMIT_BYTES} bytes of PNG.`);
    if (sniffImageType(signature) !== 'image/png') throw invalidField('signature_png_base64', 'Must be a base64-encoded PNG image.');
  }

  const nda = await currentNda(c.db, scope, locationId);
  if (body.document_version !== nda.version) {
    throw conflict(`NDA version ${body.document_version} is not current; the kiosk should show version ${nda.version} (GET /v1/kiosk/nda) and sign that.`);
  }

  const row = await c.db.transaction().execute(async (trx) => {
    const visit = await lockKioskVisit(trx, scope, locationId, c.params.id);
    if (!visit) throw notFound('visit', c.params.id);
    if (visit.status !== 'pending') throw conflict(`Visit "${visit.id}" is ${visit.status}; the NDA is signed while it is pending.`);

    let signatureKey: string | null = null;
    if (signature) {
      signatureKey = `${scope.tenantId}/${scope.mode}/visits/${visit.id}/signature.png`;
      await c.services.blobs.put(signatureKey, signature);
    }
    const updated = await trx
      .updateTable('visits')
      .set({
        nda_version: nda.version,
        nda_locale: body.locale,
        nda_signer_name: body.signer_name,
        nda_signature: signature ? 'drawn' : 'typed',
        nda_signature_key: signatureKey,
        nda_typed_name: body.typed_name ?? null,
        nda_accepted_at: new Date(body.accepted_at),
        updated_at: new Date(),
      })
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', visit.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return completeIfReady(trx, scope, updated);
  });

  return { status: 200, body: serializeVisit(row) };
};
