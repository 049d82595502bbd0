import type { NextFunction, Request, Response } from 'express';

import { HttpError } from './problem';
import { requestState } from './request-context';
import { fromValidatorError, isValidatorError } from './validation';

/** Turns every path no route matched into a 404 problem. */
export function routeNotFound(req: Request, _res: Response, next: NextFunction): void {
  next(new HttpError({ status: 404, code: 'route-not-found', title: 'Not found', detail: `No route for ${req.method} ${req.path}.` }));
}

/**
 * The final error handler: every error becomes a problem document. Errors that are not ours
 * become a 500 that reveals nothing internal and are logged with the request id.
 */
export function problemResponder(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  const state = requestState(res);
  const problem = toHttpError(error, req.path);
  if (problem.status >= 500) state.log.error({ err: error, path: req.path }, 'request failed');
  else state.log.debug({ status: problem.status, code: problem.code }, 'request rejected');

  if (res.headersSent) {
    res.destroy();
    return;
  }
  // Written with res.end rather than res.json so the response validator does not wrap it: an
  // error on an undocumented route (404, 405) has no schema to match.
  res.status(problem.status);
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  res.setHeader('content-type', 'application/problem+json; charset=utf-8');
  res.end(JSON.stringify(problem.toProblem(state.requestId, req.originalUrl)));
}

function toHttpError(error: unknown, path: string): HttpError {
  if (error instanceof HttpError) return error;

  // body-parser's errors carry a `type`; they come before the contract validator runs.
  const type = (error as { type?: string } | null)?.type;
  if (type === 'entity.parse.failed') {
    return new HttpError({ status: 400, code: 'malformed-json', title: 'Malformed JSON', detail: 'The request body is not valid JSON.', fieldErrors: { body: ['Malformed JSON'] } });
  }
  if (type === 'entity.too.large') {
    const limit = (error as { limit?: number }).limit;
    return new HttpError({ status: 413, code: 'payload-too-large', title: 'Payload too large', detail: `The request body exceeds the limit of ${limit} bytes.` });
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new HttpError({ status: 415, code: 'unsupported-media-type', title: 'Unsupported media type', detail: 'Send the request body as UTF-8 application/json.' });
  }
  if (isValidatorError(error)) return fromValidatorError(error, path);
  if (isDatabaseUnavailable(error)) {
    return new HttpError({
      status: 503,
      code: 'unavailable',
      title: 'Service unavailable',
      detail: 'The database is not reachable right now. Retry shortly; nothing was changed.',
      headers: { 'retry-after': '1' },
    });
  }
  return new HttpError({ status: 500, code: 'internal', title: 'Internal server error', detail: 'The server failed to handle this request. Quote the request id when contacting support.' });
}

// SQLSTATE classes 08 (connection exception) and 57P (operator intervention, such as a server
// shutting down or starting up), Node's socket errors, and pg's own connection messages.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03']);

/** True for an error that means PostgreSQL is restarting or out of reach, not that the request is bad. */
function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(message);
}
