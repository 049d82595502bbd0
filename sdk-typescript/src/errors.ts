import type { Problem } from './generated/types.gen.js';

/** The base class of every error the SDK throws. */
export class VisitorFlowError extends Error {
  override name = 'VisitorFlowError';
}

/**
 * An error response from the API. Carries the status, the parsed problem document (RFC 9457),
 * the response headers and the `x-request-id` to quote when contacting support.
 */
export class APIError extends VisitorFlowError {
  override name = 'APIError';
  readonly status: number | undefined;
  /** The parsed problem document; the raw text when the body was not JSON. */
  readonly body: Problem | string | undefined;
  readonly headers: Headers | undefined;
  readonly requestId: string | undefined;

  constructor(status: number | undefined, body: Problem | string | undefined, headers: Headers | undefined, message: string, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
    this.body = body;
    this.headers = headers;
    this.requestId = headers?.get('x-request-id') ?? undefined;
  }
}

/** 400: the request is invalid; `fieldErrors` names each invalid field by dotted path. */
export class BadRequestError extends APIError {
  override name = 'BadRequestError';

  get fieldErrors(): Record<string, string[]> {
    return typeof this.body === 'object' ? (this.body.issues?.fieldErrors ?? {}) : {};
  }
}

/** 401: the API key or device token is missing, unknown or revoked. */
export class AuthenticationError extends APIError {
  override name = 'AuthenticationError';
}

/** 404: no such object in this key's data. */
export class NotFoundError extends APIError {
  override name = 'NotFoundError';
}

/** 409: the object's state does not allow the change, or a request with the same idempotency key is still running. */
export class ConflictError extends APIError {
  override name = 'ConflictError';
}

/** 422: the request is well-formed but cannot be processed, such as an idempotency key reused with another body. */
export class UnprocessableEntityError extends APIError {
  override name = 'UnprocessableEntityError';
}

/** 429: over the tenant's rate limit; `retryAfter` is the server's `retry-after` in seconds. */
export class RateLimitError extends APIError {
  override name = 'RateLimitError';

  get retryAfter(): number | undefined {
    const value = Number(this.headers?.get('retry-after'));
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  }
}

/** 5xx: the server failed or is unavailable. */
export class InternalServerError extends APIError {
  override name = 'InternalServerError';
}

/** The request got no response: DNS, connection refused or reset. The cause is in `cause`. */
export class APIConnectionError extends APIError {
  override name = 'APIConnectionError';

  constructor(message = 'Connection error.', options?: ErrorOptions) {
    super(undefined, undefined, undefined, message, options);
  }
}

/** The request got no response within the `timeout`. */
export class APITimeoutError extends APIConnectionError {
  override name = 'APITimeoutError';

  constructor(timeoutMs: number, options?: ErrorOptions) {
    super(`Request timed out after ${timeoutMs} ms.`, options);
  }
}

/** Which check of `webhooks.verify` failed; the Python SDK uses the same names. */
export type WebhookVerificationReason =
  | 'missing_header'
  | 'invalid_secret'
  | 'invalid_timestamp'
  | 'signature_mismatch'
  | 'timestamp_too_old'
  | 'timestamp_in_future'
  | 'invalid_payload';

/** Thrown by `webhooks.verify` when a delivery fails a check; `reason` names the check. */
export class WebhookVerificationError extends VisitorFlowError {
  override name = 'WebhookVerificationError';
  readonly reason: WebhookVerificationReason;

  constructor(reason: WebhookVerificationReason, message: string) {
    super(message);
    this.reason = reason;
  }
}
