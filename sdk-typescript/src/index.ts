export { VisitorFlow, type VisitorFlowOptions } from './client.js';
export { KioskClient, type KioskClientOptions } from './kiosk-client.js';
export {
  APIConnectionError,
  APIError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  UnprocessableEntityError,
  VisitorFlowError,
  WebhookVerificationError,
  type WebhookVerificationReason,
} from './errors.js';
export { DEFAULT_BASE_URL, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, type TransportOptions } from './options.js';
export type { Logger } from './logger.js';
export type { RequestOptions } from './internal/request-options.js';
export type { BinaryBody } from './internal/binary.js';
export { PagePromise, type CursorPage } from './pagination.js';
export { verifyWebhook, WEBHOOK_TOLERANCE_SECONDS, type VerifyOptions, type WebhookHeaders } from './webhooks/verify.js';
export { sdkOperations } from './generated/resources.gen.js';
export type * from './generated/types.gen.js';
