import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ApiClient } from './support/client';
import { startTestServer, type TestServer } from './support/server';
import { startMailSink, type MailSink } from './support/smtp';
import { makeTenant, seedReferenceDirectory, type TestTenant } from './support/tenants';

// The smallest valid PNG (1×1, transparent), standing in for a kiosk photo.
const PHOTO_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

let mail: MailSink;
let server: TestServer;
let tenant: TestTenant;
let api: ApiClient;

beforeAll(async () => {
  mail = await startMailSink();
  server = await startTestServer({ worker: true, config: { smtpUrl: mail.url } });
  tenant = await makeTenant(server.runtime.db, 'kiosk flow');
  api = server.client(tenant.testKey);
  await seedReferenceDirectory(api);
});

afterAll(async () => {
  await server?.close();
  await mail?.close();
});

/** Reads the QR code in a PNG back to its text, as a kiosk camera would. */
function decodeQr(png: Buffer): string {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  if (!code) throw new Error('No QR code found in the image.');
  return code.data;
}

async function pairKiosk(): Promise<ApiClient> {
  const kiosk = await api.post('/v1/kiosks', { location_id: 'loc_mty_01', name: 'North lobby' });
  const paired = await server.client().post('/v1/kiosk/pair', { pairing_code: kiosk.body.pairing_code });
  return server.client(paired.body.device_token);
}

describe('pre-registration to checkout', () => {
  it('runs from email QR to host email', { timeout: 60_000 }, async () => {
    const scheduledAt = new Date(Date.now() + 10 * 60_000).toISOString();
    const created = await api.post('/v1/pre-registrations', {
      host_id: 'h_98412',
      visitor: { name: 'Andrés López', email: 'andres@acme.com' },
      scheduled_at: scheduledAt,
      window_minutes: 60,
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('scheduled');
    expect(created.body.locale).toBe('es-MX');
    expect(created.body.check_in_code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);

    const invite = await mail.waitFor((m) => m.text?.includes(created.body.check_in_code) ?? false);
    expect(invite.to).toMatchObject({ text: 'andres@acme.com' });
    expect(invite.subject).toMatch(/^Tu visita a Monterrey Plant 1/);
    expect(invite.html).toContain('cid:qr-code@visitorflow');
    const qrAttachment = invite.attachments.find((a) => a.contentId === '<qr-code@visitorflow>' || a.cid === 'qr-code@visitorflow');
    expect(qrAttachment?.contentType).toBe('image/png');
    const token = decodeQr(qrAttachment!.content);
    expect(token).toMatch(/^v1\./);

    const png = await fetch(`${server.url}/v1/prereg/qr/${created.body.id}.png`, { headers: { authorization: `Bearer ${tenant.testKey}` } });
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(decodeQr(Buffer.from(await png.arrayBuffer()))).toBe(token);

    const kiosk = await pairKiosk();
    const checkin = await kiosk.post('/v1/kiosk/checkins', { qr_token: token });
    expect(checkin.status).toBe(201);
    expect(checkin.body.visit.status).toBe('pending');
    expect(checkin.body.host).toEqual({ id: 'h_98412', name: 'Laura Garza' });
    expect(checkin.body.requires).toEqual(['photo', 'nda']);
    const visitId = checkin.body.visit.id as string;

    const photo = await kiosk.request('PUT', `/v1/kiosk/visits/${visitId}/photo`, { raw: PHOTO_PNG, headers: { 'content-type': 'image/png' } });
    expect(photo.status).toBe(200);
    expect(photo.body.has_photo).toBe(true);
    expect(photo.body.status).toBe('pending');

    const nda = await kiosk.get('/v1/kiosk/nda');
    expect(nda.body.version).toBe(0);
    expect(nda.body.locale).toBe('es-MX');
    const signed = await kiosk.post(`/v1/kiosk/visits/${visitId}/nda`, {
      document_version: nda.body.version,
      locale: 'es-MX',
      signer_name: 'Andrés López',
      typed_name: 'Andrés López',
      accepted_at: new Date().toISOString(),
    });
    expect(signed.status).toBe(200);
    expect(signed.body.status).toBe('onsite');
    expect(signed.body.checked_in_at).toBeTypeOf('string');
    expect(signed.body.nda).toMatchObject({ version: 0, signature: 'typed', signer_name: 'Andrés López' });
    expect(signed.body.pre_registration_id).toBe(created.body.id);

    const hostEmail = await mail.waitFor((m) => (m.text?.includes(visitId) ?? false) && m.subject?.includes('llegó') === true);
    expect(hostEmail.to).toMatchObject({ text: 'laura.garza@acme.com' });

    const stored = await api.get(`/v1/visits/${visitId}/photo`);
    expect(stored.status).toBe(200);
    const preRegistration = await api.get(`/v1/pre-registrations/${created.body.id}`);
    expect(preRegistration.body.status).toBe('checked_in');
    expect(preRegistration.body.visit_id).toBe(visitId);

    const checkout = await kiosk.post(`/v1/kiosk/visits/${visitId}/checkout`);
    expect(checkout.status).toBe(200);
    expect(checkout.body.status).toBe('checked_out');
  });
});
