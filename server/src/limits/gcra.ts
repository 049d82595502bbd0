/**
 * The generic cell rate algorithm (GCRA), the arithmetic behind both limiter stores.
 *
 * A budget of `ratePerMinute` spaces requests `interval = 60 000 / rate` ms apart. Each
 * admitted request moves the theoretical arrival time (TAT) one interval later, and a request
 * is admitted while the TAT stays within `tolerance` ms of now. A client gains one interval of
 * credit per interval of idleness, up to 10 s of credit. So with a tolerance of 10 s, an idle
 * client may send at twice the rate for 10 s, while a sustained client is held to the rate.
 * Unlike a fixed window, there is no boundary at which twice the budget gets through.
 */

/** How far ahead of now the TAT may run: the burst allowance, in ms. */
export const BURST_TOLERANCE_MS = 10_000;

export interface GcraParams {
  intervalMs: number;
  toleranceMs: number;
}

export interface GcraDecision {
  allowed: boolean;
  /** The TAT to store: unchanged when the request is rejected. */
  tatMs: number;
  /** Further requests admissible right now. */
  remaining: number;
  /** Until the next request would be admitted; 0 when this one was. */
  retryAfterMs: number;
  /** Until the full burst allowance is available again. */
  resetMs: number;
}

/** GCRA parameters for a rate, with the API's 10 s burst tolerance unless another is given. */
export function paramsFor(ratePerMinute: number, toleranceMs = BURST_TOLERANCE_MS): GcraParams {
  return { intervalMs: 60_000 / ratePerMinute, toleranceMs };
}

/** Decides one request; `storedTatMs` is undefined for a key never seen (or expired). */
export function decide(storedTatMs: number | undefined, nowMs: number, params: GcraParams): GcraDecision {
  const { intervalMs, toleranceMs } = params;
  const tat = Math.max(storedTatMs ?? nowMs, nowMs);
  const nextTat = tat + intervalMs;

  if (nextTat - nowMs > toleranceMs + intervalMs) {
    const retryAfterMs = nextTat - nowMs - toleranceMs - intervalMs;
    return { allowed: false, tatMs: tat, remaining: 0, retryAfterMs, resetMs: tat - nowMs };
  }
  const remaining = Math.floor((toleranceMs + intervalMs - (nextTat - nowMs)) / intervalMs);
  return { allowed: true, tatMs: nextTat, remaining, retryAfterMs: 0, resetMs: nextTat - nowMs };
}
