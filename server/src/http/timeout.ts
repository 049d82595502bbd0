import type { NextFunction, Request, Response } from 'express';

import { HttpError } from './problem';

/** Responds 503 to a request still running after `timeoutMs`, and drops its late result. */
export function requestTimeout(timeoutMs: number) {
  return function limitRequestTime(_req: Request, res: Response, next: NextFunction): void {
    const timer = setTimeout(() => {
      if (!res.headersSent) {
        res.locals.timedOut = true;
        next(new HttpError({ status: 503, code: 'timeout', title: 'Request timed out', detail: `The request did not finish within ${timeoutMs} ms. Retry it.`, headers: { 'retry-after': '1' } }));
      }
    }, timeoutMs);
    timer.unref();
    res.once('close', () => clearTimeout(timer));
    next();
  };
}
