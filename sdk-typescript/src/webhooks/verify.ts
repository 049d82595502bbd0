import { WebhookVerificationError } from '../errors.js';
import { decodeBase64, hmacSha256Hex, timingSafeEqual } from './hmac.js';

/** How far a delivery's `x-vf-timestamp` may be from the local clock, in seconds. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';
const SIGNATURE_PREFIX = 'sha256=';

/** Request headers as `fetch` (Headers) or Node's `http` (IncomingHttpHeaders) give them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/**
 * A webhook event as delivered.
 * TODO: replace with the generated Event type once openapi.yaml defines events.
 */
export interface WebhookEvent {
  id: string;
  type: string;
  [field: string]: unknown;
}

export interface VerifyOptions {
  /** Allowed clock difference in seconds. Default: 300. */
  toleranceSeconds?: number;
  /** The current time. Default: `Date.now()`. */
  now?: Date;
}

/**
 * Checks a webhook delivery and returns its event. `x-vf-signature` contains one or more
 * space-separated `sha256=<hex>` values (several while a secret is being rotated); one must be
 * the HMAC-SHA256 of `<x-vf-event-id>.<x-vf-timestamp>.<raw body>` keyed with the base64-decoded
 * bytes after `whsec_` in the endpoint secret. The timestamp (Unix seconds) must be within
 * `toleranceSeconds` of now, which stops replays of old deliveries.
 * Throws WebhookVerificationError whose `reason` names the check that failed.
 */
export async function verifyWebhook(rawBody: string | Uint8Array, headers: WebhookHeaders, secret: string, options: VerifyOptions = {}): Promise<WebhookEvent> {
  const signatureHeader = readHeader(headers, 'x-vf-signature');
  const timestamp = readHeader(headers, 'x-vf-timestamp');
  const eventId = readHeader(headers, 'x-vf-event-id');
  const key = secret.startsWith(SECRET_PREFIX) ? decodeBase64(secret.slice(SECRET_PREFIX.length)) : undefined;
  if (!key || key.length === 0) {
    throw new WebhookVerificationError('invalid_secret', 'Invalid webhook secret: expected "whsec_" followed by base64, as shown when the endpoint was created.');
  }

  if (!/^\d+$/.test(timestamp)) {
    throw new WebhookVerificationError('invalid_header', `Invalid x-vf-timestamp "${timestamp}": expected Unix seconds.`);
  }
  const seconds = Number(timestamp);
  const tolerance = options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((options.now?.getTime() ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - seconds) > tolerance) {
    throw new WebhookVerificationError('timestamp_out_of_range', `x-vf-timestamp ${timestamp} is more than ${tolerance} s from now (${nowSeconds}); the delivery is stale or the clock is off.`);
  }

  const expected = await hmacSha256Hex(key, [`${eventId}.${timestamp}.`, rawBody]);
  const candidates = signatureHeader.split(' ').filter((value) => value.startsWith(SIGNATURE_PREFIX));
  // Every candidate is compared, so the time taken does not reveal which one matched.
  const matches = candidates.map((value) => timingSafeEqual(value.slice(SIGNATURE_PREFIX.length), expected));
  if (!matches.includes(true)) {
    throw new WebhookVerificationError('signature_mismatch', 'No x-vf-signature value matches: check the endpoint secret and pass the raw request body, not re-serialized JSON.');
  }

  return parseEvent(rawBody);
}

function readHeader(headers: WebhookHeaders, name: string): string {
  const value = headers instanceof Headers ? headers.get(name) : (headers[name] ?? headers[name.toLowerCase()]);
  const text = Array.isArray(value) ? value.join(' ') : value;
  if (text === undefined || text === null || text.trim() === '') {
    throw new WebhookVerificationError('missing_header', `Missing ${name} header: is this request a VisitorFlow webhook delivery?`);
  }
  return text.trim();
}

function parseEvent(rawBody: string | Uint8Array): WebhookEvent {
  const text = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody);
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw new WebhookVerificationError('invalid_payload', 'The webhook body is not JSON, although its signature is valid.');
  }
  if (typeof event !== 'object' || event === null || typeof (event as WebhookEvent).id !== 'string' || typeof (event as WebhookEvent).type !== 'string') {
    throw new WebhookVerificationError('invalid_payload', 'The webhook body is not an event object with an id and a type.');
  }
  return event as WebhookEvent;
}
