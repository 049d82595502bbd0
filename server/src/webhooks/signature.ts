import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** Generates `whsec_` and the base64 of 32 random bytes, the Standard Webhooks secret format. */
export function generateSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** Returns the HMAC key of a secret: the base64-decoded bytes after `whsec_`. */
function signingKey(secret: string): Buffer {
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/**
 * Builds the signature headers of one delivery. Every active secret adds one value to each
 * signature header, space-separated, so receivers holding either secret verify during rotation.
 *
 * - `x-vf-signature: sha256=<hex>`, HMAC-SHA256 over `<event id>.<timestamp>.<body>`.
 * - `webhook-signature: v1,<base64>`, the Standard Webhooks form, over `<webhook-id>.<timestamp>.<body>`
 *   with `webhook-id` set to the event id.
 */
export function signatureHeaders(options: { eventId: string; timestamp: number; body: string; secrets: string[] }): Record<string, string> {
  const { eventId, timestamp, body, secrets } = options;
  const signedContent = `${eventId}.${timestamp}.${body}`;
  const macs = secrets.map((secret) => createHmac('sha256', signingKey(secret)).update(signedContent).digest());

  return {
    'x-vf-event-id': eventId,
    'x-vf-timestamp': String(timestamp),
    'x-vf-signature': macs.map((mac) => `sha256=${mac.toString('hex')}`).join(' '),
    'webhook-id': eventId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': macs.map((mac) => `v1,${mac.toString('base64')}`).join(' '),
  };
}
