import { randomBytes } from 'node:crypto';

// Lower-case letters and digits without the look-alikes 0/o and 1/l, so ids read back without mistakes.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** Returns `length` random characters from ALPHABET, uniformly (the alphabet has 32 letters, so no modulo bias). */
export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return out;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Returns `length` random base62 characters, for credentials (32 give about 190 bits). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length + 16)) {
      // 248 = 4 * 62: bytes at or above it are skipped so every character is equally likely.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** Generates a new object id such as `vis_k3q9b1x7c2mzt4hw8pd5`: a prefix and 20 random characters (100 bits). */
export function newId(prefix: 'vis' | 'loc' | 'h' | 'ten' | 'key' | 'email' | 'req' | 'evt' | 'we' | 'whd' | 'wha' | 'inc' | 'pre' | 'ksk' | 'sk'): string {
  return `${prefix}_${randomToken(20)}`;
}
