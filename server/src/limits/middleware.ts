import type { NextFunction, Request, Response } from 'express';

import { HttpError } from '../http/problem';
import { requestState } from '../http/request-context';
import { retryAfterSeconds, setRateLimitHeaders } from './headers';
import type { RateLimiter } from './limiter';

/** Charges every authenticated request to its tenant's budget; over budget it answers 429. */
export function rateLimit(limiter: RateLimiter) {
  return async function limitRequest(req: Request, res: Response, next: NextFunction): Promise<void> {
    const auth = requestState(res).auth;
    if (!auth) {
      next();
      return;
    }

    const result = await limiter.consume(auth.scope, req.method);
    setRateLimitHeaders(res, result);
    if (!result.decision.allowed) {
      const seconds = retryAfterSeconds(result);
      const rate = result.requestClass === 'reads' ? result.budget.readsPerMinute : result.budget.writesPerMinute;
      throw new HttpError({
        status: 429,
        code: 'rate-limited',
        title: 'Too many requests',
        detail: `This tenant's ${result.requestClass === 'reads' ? 'read' : 'write'} budget of ${rate} requests per minute is used up. Retry after ${seconds} s.`,
        headers: { 'retry-after': String(seconds) },
      });
    }
    next();
  };
}
