import type { NextFunction, Request, Response } from 'express';

import { requestState } from '../http/request-context';
import { setRateLimitHeaders, tooManyRequests } from './headers';
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
      const rate = result.requestClass === 'reads' ? result.budget.readsPerMinute : result.budget.writesPerMinute;
      const kind = result.requestClass === 'reads' ? 'read' : 'write';
      throw tooManyRequests('rate-limited', result.decision.retryAfterMs, (seconds) => `This tenant's ${kind} budget of ${rate} requests per minute is used up. Retry after ${seconds} s.`);
    }
    next();
  };
}
