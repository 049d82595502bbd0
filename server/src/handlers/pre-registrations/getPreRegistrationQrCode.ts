import { tokenFor } from '../../checkin/pre-registration-token';
import { qrPng } from '../../checkin/qr';
import type { Handlers } from '../../generated/operations.gen';
import { notFound } from '../../http/problem';

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

  const png = await qrPng(await tokenFor(c.db, c.services.sealer, row));
  return { status: 200, body: png, contentType: 'image/png', headers: { 'cache-control': 'private, max-age=300' } };
};
