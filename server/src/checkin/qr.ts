import QRCode from 'qrcode';

/** Renders a QR token as a PNG: error correction level M, 8 pixels a module, a 4-module quiet zone. */
export async function qrPng(token: string): Promise<Buffer> {
  return QRCode.toBuffer(token, { type: 'png', errorCorrectionLevel: 'M', scale: 8, margin: 4 });
}
