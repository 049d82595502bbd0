import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  UnprocessableEntityError,
} from '../errors.js';
import type { Problem } from '../generated/types.gen.js';

const CLASS_BY_STATUS: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/**
 * Builds the error for a response that is not 2xx from its status, headers and body (as the
 * generated client parsed it). The message starts with the status and the server's `error`.
 */
export function makeAPIError(response: Response, parsed: unknown): APIError {
  const body = asProblem(parsed);
  const error = typeof body === 'object' ? body.error : (body ?? response.statusText);
  const detail = typeof body === 'object' && body.detail !== body.error ? body.detail : undefined;
  const message = `${response.status} ${error}${detail ? `: ${detail}` : ''}`;

  const ErrorClass = CLASS_BY_STATUS[response.status] ?? (response.status >= 500 ? InternalServerError : APIError);
  return new ErrorClass(response.status, body, response.headers, message);
}

function asProblem(parsed: unknown): Problem | string | undefined {
  if (typeof parsed === 'string') return parsed === '' ? undefined : parsed;
  if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) return parsed as Problem;
  return parsed === undefined ? undefined : JSON.stringify(parsed);
}
