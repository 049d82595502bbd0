/** The largest photo a kiosk may upload: 2 MiB. */
export const PHOTO_LIMIT_BYTES = 2 * 1024 * 1024;

/** The largest drawn signature: 256 KiB of PNG. */
export const SIGNATURE_LIMIT_BYTES = 256 * 1024;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Tells the image type from the bytes themselves, not from the Content-Type a client sent:
 * JPEG files start with the SOI marker FF D8 FF, PNG files with their 8-byte signature.
 */
export function sniffImageType(bytes: Buffer): 'image/jpeg' | 'image/png' | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= PNG_SIGNATURE.length && bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return 'image/png';
  return undefined;
}
