import type { NextFunction, Request, Response } from 'express';

import { HttpError } from './problem';

/** Answers 503 for a request still running after `timeoutMs`; its late result is dropped. */
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
