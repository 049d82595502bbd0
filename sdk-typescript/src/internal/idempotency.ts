/** Methods whose calls carry an `Idempotency-Key`, so that a retry never acts twice. */
const IDEMPOTENT_METHODS = new Set(['POST', 'PATCH']);

export function needsIdempotencyKey(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** Returns a random UUID (version 4) from WebCrypto, which browsers and Node 20 both have. */
export function newIdempotencyKey(): string {
  if (typeof globalThis.crypto?.randomUUID === 'function') return globalThis.crypto.randomUUID();
  // randomUUID exists only in secure contexts (HTTPS) in browsers; getRandomValues everywhere.
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
