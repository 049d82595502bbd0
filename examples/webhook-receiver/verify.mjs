// Verifies VisitorFlow webhook signatures with Node's crypto module only.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Deliveries older or newer than this are rejected as possible replays. */
export const TOLERANCE_SECONDS = 5 * 60;

/** Returns the HMAC key of a `whsec_…` secret: the base64-decoded bytes after the prefix. */
export function signingKey(secret) {
  if (!secret.startsWith('whsec_')) throw new Error('A VisitorFlow webhook secret starts with "whsec_".');
  return Buffer.from(secret.slice('whsec_'.length), 'base64');
}

/**
 * Checks the `x-vf-*` headers of a delivery. `headers` has lower-case names, `rawBody` is the
 * request body exactly as received (before any JSON parsing), and `now` is in milliseconds.
 * Returns `{ ok: true, eventId }` or `{ ok: false, reason }`.
 */
export function verifyVisitorFlowSignature({ rawBody, headers, secret, now = Date.now() }) {
  const eventId = headers['x-vf-event-id'];
  const timestamp = headers['x-vf-timestamp'];
  const signatures = headers['x-vf-signature'];
  if (!eventId || !timestamp || !signatures) return { ok: false, reason: 'missing x-vf-event-id, x-vf-timestamp or x-vf-signature' };

  const timeCheck = checkTimestamp(timestamp, now);
  if (!timeCheck.ok) return timeCheck;

  const expected = createHmac('sha256', signingKey(secret)).update(`${eventId}.${timestamp}.${rawBody}`).digest();
  // One `sha256=<hex>` value per active secret, space-separated, while a secret is being rotated.
  const matches = signatures
    .split(' ')
    .filter((value) => value.startsWith('sha256='))
    .some((value) => constantTimeEqual(Buffer.from(value.slice('sha256='.length), 'hex'), expected));
  return matches ? { ok: true, eventId } : { ok: false, reason: 'no signature matches this secret' };
}

/**
 * Checks the Standard Webhooks headers (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64>`): HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<body>`,
 * as that specification defines it.
 */
export function verifyStandardWebhook({ rawBody, headers, secret, now = Date.now() }) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature' };

  const timeCheck = checkTimestamp(timestamp, now);
  if (!timeCheck.ok) return timeCheck;

  const expected = createHmac('sha256', signingKey(secret)).update(`${id}.${timestamp}.${rawBody}`).digest();
  const matches = signatures
    .split(' ')
    .filter((value) => value.startsWith('v1,'))
    .some((value) => constantTimeEqual(Buffer.from(value.slice('v1,'.length), 'base64'), expected));
  return matches ? { ok: true, eventId: id } : { ok: false, reason: 'no signature matches this secret' };
}

function checkTimestamp(timestamp, now) {
  if (!/^\d+$/.test(timestamp)) return { ok: false, reason: 'the timestamp is not whole seconds' };
  const ageSeconds = Math.abs(now / 1000 - Number(timestamp));
  if (ageSeconds > TOLERANCE_SECONDS) return { ok: false, reason: `the timestamp is ${Math.round(ageSeconds)} s away from now, more than ${TOLERANCE_SECONDS} s` };
  return { ok: true };
}

/** Compares in time that does not depend on where the inputs differ, so timing reveals nothing. */
function constantTimeEqual(a, b) {
  return a.length === b.length && timingSafeEqual(a, b);
}
