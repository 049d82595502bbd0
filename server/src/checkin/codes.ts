import { randomBytes } from 'node:crypto';

// 32 characters without the look-alikes 0/O and 1/I, so a code read off a screen or paper is
// typed back right; 32 divides 256, so each character is uniformly random.
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Generates a random code of `length` characters (8 gives 40 bits). */
export function generateCode(length = 8): string {
  let code = '';
  for (const byte of randomBytes(length)) code += CODE_ALPHABET[byte & 31];
  return code;
}

/** Normalizes a typed code: upper case, with spaces and dashes dropped. */
export function normalizeCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

/** Lower case without accents, so "Andrés" matches "andres". */
export function searchForm(name: string): string {
  return name.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}
