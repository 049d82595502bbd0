import type { Response } from 'express';

import type { LimitResult } from './limiter';

/**
 * Sets the RateLimit-Policy and RateLimit fields of the IETF httpapi draft
 * (draft-ietf-httpapi-ratelimit-headers-11): the policy names each budget with its quota `q`
 * per window `w` seconds; RateLimit reports, for the budget this request used, the requests
 * `r` still admissible now and the seconds `t` until the full allowance is back.
 */
export function setRateLimitHeaders(res: Response, result: LimitResult): void {
  const { budget, decision, requestClass } = result;
  res.setHeader('RateLimit-Policy', `"reads";q=${budget.readsPerMinute};w=60, "writes";q=${budget.writesPerMinute};w=60`);
  res.setHeader('RateLimit', `"${requestClass}";r=${decision.remaining};t=${Math.ceil(decision.resetMs / 1000)}`);
}

/** Whole seconds until the next request would be admitted, at least 1 (RFC 9110 Retry-After). */
export function retryAfterSeconds(result: LimitResult): number {
  return Math.max(1, Math.ceil(result.decision.retryAfterMs / 1000));
}
