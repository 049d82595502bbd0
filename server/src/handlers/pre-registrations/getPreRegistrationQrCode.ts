import { SigningKeyRetiredError, tokenFor } from '../../checkin/pre-registration-token';
import { qrPng } from '../../checkin/qr';
import type { Handlers } from '../../generated/operations.gen';
import { conflict, notFound } from '../../http/problem';

/** GET /v1/prereg/qr/{id}.png: the same QR code as the invitation email. */
export const getPreRegistrationQrCode: Handlers['getPreRegistrationQrCode'] = async (c) => {
  const { scope } = c.auth;
  const row = await c.db
    .selectFrom('pre_registrations')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', c.params.id)
    .executeTakeFirst();
  if (!row) throw notFound('pre-registration', c.params.id);

  let token: string;
  try {
    token = await tokenFor(c.db, c.services.sealer, row);
  } catch (error) {
    if (!(error instanceof SigningKeyRetiredError)) throw error;
    throw conflict(`The QR code of pre-registration "${row.id}" was invalidated when its signing key was retired. Create a new pre-registration.`);
  }
  const png = await qrPng(token);
  return { status: 200, body: png, contentType: 'image/png', headers: { 'cache-control': 'private, max-age=300' } };
};
