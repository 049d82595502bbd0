/** The longest `retry-after` the SDK waits for; a longer one falls back to its own backoff. */
export const MAX_RETRY_AFTER_SECONDS = 60;

const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;

/** Decides whether a response status is worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  // Request Timeout: the server gave up waiting for the request.
  if (status === 408) return true;
  // Conflict: with an Idempotency-Key, the first attempt is still running on the server.
  if (status === 409) return true;
  // Too Many Requests: over the rate limit for now.
  if (status === 429) return true;
  return status >= 500;
}

/**
 * Returns the milliseconds to wait before retry number `retry` (1 for the first retry). That is
 * the server's `retry-after` (seconds or an HTTP date, RFC 9110 section 10.2.3) when it is at
 * most 60 seconds. Otherwise it is exponential backoff from 0.5 s up to 8 s, less up to 25% jitter.
 */
export function retryDelayMs(retry: number, headers: Headers | undefined, random: () => number = Math.random): number {
  const retryAfter = parseRetryAfterMs(headers?.get('retry-after') ?? null);
  if (retryAfter !== undefined && retryAfter <= MAX_RETRY_AFTER_SECONDS * 1000) return retryAfter;

  const backoff = Math.min(INITIAL_DELAY_MS * 2 ** (retry - 1), MAX_DELAY_MS);
  return backoff * (1 - random() * 0.25);
}

function parseRetryAfterMs(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
