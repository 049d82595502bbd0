const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** How long a delivery keeps being retried, counted from its first attempt. */
export const RETRY_WINDOW_MS = 24 * HOUR;

// Delay before retry n (n = 1 after the first failed attempt). Short at first, so an integrator
// who just fixed a bug sees the event again within a minute; every 4 hours after the eighth.
const RETRY_DELAYS_MS = [5 * SECOND, 30 * SECOND, 2 * MINUTE, 10 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR];

/** Share of the delay added or taken at random, so endpoints that recover at once are not hit all together. */
const JITTER = 0.1;

/**
 * Returns the delay in ms before the next attempt, after `failedAttempts` failures: the
 * schedule with ±10% jitter, and never sooner than the endpoint's `Retry-After`.
 */
export function retryDelayMs(failedAttempts: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const base = RETRY_DELAYS_MS[Math.min(failedAttempts, RETRY_DELAYS_MS.length) - 1] ?? RETRY_DELAYS_MS[0]!;
  const jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random()));
  return Math.max(jittered, retryAfterMs ?? 0);
}

/**
 * Parses a `Retry-After` header (RFC 9110 section 10.2.3): whole seconds, or an HTTP date.
 * Returns ms from `now`, or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * SECOND;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}
