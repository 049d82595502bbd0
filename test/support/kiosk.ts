import jsQR from 'jsqr';
import { PNG } from 'pngjs';

import type { ApiClient } from './client';
import type { TestServer } from './server';

/** The smallest valid PNG (1×1, transparent), standing in for a kiosk photo. */
export const PHOTO_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** A 1×1 grayscale JPEG (JFIF, 136 bytes), from the SOI marker FF D8 FF to the EOI marker FF D9. */
export const PHOTO_JPEG = Buffer.concat([
  Buffer.from(
    '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
    'base64',
  ),
  Buffer.from([0xff, 0xd9]),
]);

/** Reads the QR code in a PNG back to its text, as a kiosk camera would. */
export function decodeQr(png: Buffer): string {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  if (!code) throw new Error('No QR code found in the image.');
  return code.data;
}

/** Downloads a pre-registration's QR code with `apiKey` and decodes it to the token it carries. */
export async function fetchQrToken(server: TestServer, apiKey: string, preRegistrationId: string): Promise<string> {
  const response = await fetch(`${server.url}/v1/prereg/qr/${preRegistrationId}.png`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (response.status !== 200) throw new Error(`GET /v1/prereg/qr/${preRegistrationId}.png returned ${response.status}: ${await response.text()}`);
  return decodeQr(Buffer.from(await response.arrayBuffer()));
}

export interface PairedKiosk {
  id: string;
  deviceToken: string;
  /** A client that sends the device token. */
  client: ApiClient;
}

/**
 * Creates a kiosk at `locationId` with `admin`'s API key and pairs it. POST /v1/kiosk/pair
 * admits about six attempts per client address in a burst, so a test server pairs only a few.
 */
export async function pairKiosk(server: TestServer, admin: ApiClient, locationId: string, name = 'Lobby kiosk'): Promise<PairedKiosk> {
  const kiosk = await admin.post('/v1/kiosks', { location_id: locationId, name });
  if (kiosk.status !== 201) throw new Error(`POST /v1/kiosks failed: ${kiosk.status} ${JSON.stringify(kiosk.body)}`);
  const paired = await server.client().post('/v1/kiosk/pair', { pairing_code: kiosk.body.pairing_code });
  if (paired.status !== 200) throw new Error(`POST /v1/kiosk/pair failed: ${paired.status} ${JSON.stringify(paired.body)}`);
  return { id: kiosk.body.id, deviceToken: paired.body.device_token, client: server.client(paired.body.device_token) };
}
