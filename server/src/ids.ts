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

/** Generates a new object id such as `vis_k3q9b1x7c2mzt4hw8pd5`: a prefix and 20 random characters (100 bits). */
export function newId(prefix: 'vis' | 'loc' | 'h' | 'ten' | 'key' | 'email' | 'req' | 'evt' | 'we' | 'whd' | 'wha' | 'inc' | 'pre' | 'ksk' | 'sk'): string {
  return `${prefix}_${randomToken(20)}`;
}
