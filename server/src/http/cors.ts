import type { NextFunction, Request, Response } from 'express';

// Response headers a browser client may read; the rest stay hidden by the CORS rules.
const EXPOSED_HEADERS = ['x-request-id', 'ratelimit', 'ratelimit-policy', 'retry-after', 'idempotent-replayed'].join(', ');
const ALLOWED_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'x-request-id'].join(', ');

/**
 * CORS for browser kiosks and dashboards, off unless `CORS_ORIGINS` lists origins. Answers
 * preflight requests itself, before authentication, since browsers send them without
 * credentials.
 */
export function cors(allowedOrigins: string[]) {
  const anyOrigin = allowedOrigins.includes('*');

  return function applyCors(req: Request, res: Response, next: NextFunction): void {
    const origin = req.get('origin');
    if (!origin || (!anyOrigin && !allowedOrigins.includes(origin))) {
      next();
      return;
    }

    res.setHeader('access-control-allow-origin', anyOrigin ? '*' : origin);
    res.append('vary', 'Origin');
    res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.get('access-control-request-method')) {
      res.setHeader('access-control-allow-methods', 'GET, POST, PATCH, PUT, DELETE');
      res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
      res.setHeader('access-control-max-age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
