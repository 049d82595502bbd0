import type { Response } from 'express';

import { HttpError } from '../http/problem';
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

/** Converts a wait in ms to whole seconds, at least 1, as RFC 9110 Retry-After takes them. */
export function retryAfterSeconds(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / 1000));
}

/** Builds the 429 problem with its `retry-after` header; `detail` receives the wait in seconds. */
export function tooManyRequests(code: string, retryAfterMs: number, detail: (seconds: number) => string): HttpError {
  const seconds = retryAfterSeconds(retryAfterMs);
  return new HttpError({ status: 429, code, title: 'Too many requests', detail: detail(seconds), headers: { 'retry-after': String(seconds) } });
}
