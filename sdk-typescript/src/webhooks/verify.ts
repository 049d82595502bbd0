import { WebhookVerificationError } from '../errors.js';
import type { Event } from '../generated/types.gen.js';
import { decodeBase64, hmacSha256Hex, timingSafeEqual } from './hmac.js';

/** How far a delivery's `x-vf-timestamp` may be from the local clock, in seconds. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

const SECRET_PREFIX = 'whsec_';
const SIGNATURE_PREFIX = 'sha256=';

/** Request headers as `fetch` (Headers) or Node's `http` (IncomingHttpHeaders) give them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

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
 *
 * The checks run in this order, each with the same `reason` and message as the Python SDK's
 * `visitorflow.webhooks.verify`: the three headers, the secret, the timestamp's format, the
 * signature, the timestamp's age, then the body.
 * Throws WebhookVerificationError whose `reason` names the check that failed.
 */
export async function verifyWebhook(rawBody: string | Uint8Array, headers: WebhookHeaders, secret: string, options: VerifyOptions = {}): Promise<Event> {
  const signatureHeader = readHeader(headers, 'x-vf-signature');
  const timestampHeader = readHeader(headers, 'x-vf-timestamp');
  const eventId = readHeader(headers, 'x-vf-event-id');
  const key = signingKey(secret);

  if (!/^[0-9]+$/.test(timestampHeader)) {
    throw new WebhookVerificationError('invalid_timestamp', `Invalid x-vf-timestamp "${timestampHeader}": expected Unix time in whole seconds.`);
  }
  const timestamp = Number(timestampHeader);

  const expected = await hmacSha256Hex(key, [`${eventId}.${timestampHeader}.`, rawBody]);
  const candidates = signatureHeader.split(/\s+/).filter((value) => value.startsWith(SIGNATURE_PREFIX));
  // Every candidate is compared, so the time taken does not reveal which one matched.
  const matches = candidates.map((value) => timingSafeEqual(value.slice(SIGNATURE_PREFIX.length), expected));
  if (!matches.includes(true)) {
    throw new WebhookVerificationError(
      'signature_mismatch',
      'No signature in x-vf-signature matches: check that the secret belongs to this endpoint and that the body is the raw bytes received, not parsed and serialized again.',
    );
  }

  const tolerance = options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  const age = (options.now?.getTime() ?? Date.now()) / 1000 - timestamp;
  if (age > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_too_old',
      `Timestamp too old: the delivery was signed ${Math.trunc(age)} s ago, more than ${tolerance} s; reject it as a possible replay.`,
    );
  }
  if (-age > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_in_future',
      `Timestamp in the future: the delivery is dated ${Math.trunc(-age)} s ahead, more than ${tolerance} s; check this machine's clock.`,
    );
  }

  return parseEvent(rawBody, eventId);
}

function readHeader(headers: WebhookHeaders, name: string): string {
  let value: string | string[] | null | undefined;
  if (headers instanceof Headers) {
    value = headers.get(name);
  } else {
    // Node lower-cases header names; a plain object from elsewhere may not.
    const found = Object.keys(headers).find((key) => key.toLowerCase() === name);
    value = found === undefined ? undefined : headers[found];
  }
  const text = (Array.isArray(value) ? value.join(' ') : (value ?? '')).trim();
  if (text === '') {
    throw new WebhookVerificationError('missing_header', `Missing ${name} header: is this request a VisitorFlow webhook delivery?`);
  }
  return text;
}

function signingKey(secret: string): Uint8Array<ArrayBuffer> {
  if (!secret.startsWith(SECRET_PREFIX)) {
    throw new WebhookVerificationError('invalid_secret', "Invalid webhook secret: it must start with whsec_; copy it from the endpoint's create or rotate-secret response.");
  }
  const key = decodeBase64(secret.slice(SECRET_PREFIX.length));
  if (!key || key.length === 0) {
    throw new WebhookVerificationError('invalid_secret', 'Invalid webhook secret: the part after whsec_ is not valid base64.');
  }
  return key;
}

function parseEvent(rawBody: string | Uint8Array, eventId: string): Event {
  const text = typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody);
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    throw new WebhookVerificationError('invalid_payload', 'Invalid webhook body: the signature matches but the body is not JSON.');
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event) || (event as { id?: unknown }).id !== eventId) {
    throw new WebhookVerificationError('invalid_payload', `Invalid webhook body: its id does not match x-vf-event-id "${eventId}".`);
  }
  if (!isEvent(event)) {
    throw new WebhookVerificationError('invalid_payload', 'Invalid webhook body: it is not an event with id, type, created_at, livemode and data.object.');
  }
  return event;
}

/** The same fields the Python SDK's Event model requires. */
function isEvent(value: object): value is Event {
  const event = value as Record<string, unknown>;
  const data = event.data as Record<string, unknown> | null | undefined;
  return (
    typeof event.type === 'string' &&
    typeof event.created_at === 'string' &&
    !Number.isNaN(Date.parse(event.created_at)) &&
    typeof event.livemode === 'boolean' &&
    typeof data === 'object' &&
    data !== null &&
    typeof data.object === 'object' &&
    data.object !== null &&
    !Array.isArray(data.object)
  );
}
