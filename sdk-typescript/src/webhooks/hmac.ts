const encoder = new TextEncoder();

/** Decodes standard base64 (with or without padding) to bytes; undefined when it is not base64. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    // atob rejects a length that no padding can fix.
    return undefined;
  }
}

/** Computes HMAC-SHA256 of `parts`, concatenated, as lower-case hex, with WebCrypto. */
export async function hmacSha256Hex(key: Uint8Array<ArrayBuffer>, parts: (string | Uint8Array)[]): Promise<string> {
  const bytes = parts.map((part) => (typeof part === 'string' ? encoder.encode(part) : part));
  const message = new Uint8Array(bytes.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of bytes) {
    message.set(part, offset);
    offset += part.length;
  }

  const cryptoKey = await globalThis.crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', cryptoKey, message));
  return [...signature].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Compares two strings in time that depends only on their length, not on where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
