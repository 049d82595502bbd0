import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { VisitorFlow, WebhookVerificationError, type Event } from '../../sdk-typescript/src/index';

// These deliveries are signed here with node:crypto, following the documented scheme; the
// end-to-end test in e2e.test.ts verifies a delivery from the real server.
const KEY = randomBytes(32);
const SECRET = `whsec_${KEY.toString('base64')}`;
const EVENT: Event = { id: 'evt_1', type: 'visit.checked_in', created_at: '2026-04-30T14:21:09.123Z', livemode: false, data: { object: { id: 'vis_1' } } };
const BODY = JSON.stringify(EVENT);
const client = new VisitorFlow({ apiKey: 'vfp_test_webhooks' });

function sign(body: string, eventId: string, timestamp: number, key = KEY): string {
  return createHmac('sha256', key).update(`${eventId}.${timestamp}.${body}`).digest('hex');
}

function headersFor(body: string, timestamp = Math.floor(Date.now() / 1000), signature = `sha256=${sign(body, 'evt_1', timestamp)}`): Record<string, string> {
  return { 'x-vf-signature': signature, 'x-vf-timestamp': String(timestamp), 'x-vf-event-id': 'evt_1' };
}

async function failure(promise: Promise<unknown>): Promise<WebhookVerificationError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return error as WebhookVerificationError;
}

describe('webhooks.verify', () => {
  it('returns event for valid delivery', async () => {
    await expect(client.webhooks.verify(BODY, headersFor(BODY), SECRET)).resolves.toEqual(EVENT);
  });

  it('accepts Headers and byte body', async () => {
    const event = await client.webhooks.verify(new TextEncoder().encode(BODY), new Headers(headersFor(BODY)), SECRET);
    expect(event.id).toBe('evt_1');
  });

  it('accepts any of several signatures', async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = sign(BODY, 'evt_1', now, randomBytes(32));
    const headers = headersFor(BODY, now, `sha256=${old} sha256=${sign(BODY, 'evt_1', now)}`);
    await expect(client.webhooks.verify(BODY, headers, SECRET)).resolves.toEqual(EVENT);
  });

  it('rejects changed body', async () => {
    const error = await failure(client.webhooks.verify(BODY.replace('vis_1', 'vis_2'), headersFor(BODY), SECRET));
    expect(error.reason).toBe('signature_mismatch');
  });

  it('rejects wrong secret', async () => {
    const error = await failure(client.webhooks.verify(BODY, headersFor(BODY), `whsec_${randomBytes(32).toString('base64')}`));
    expect(error.reason).toBe('signature_mismatch');
  });

  it('rejects old timestamp', async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 360;
    const error = await failure(client.webhooks.verify(BODY, headersFor(BODY, sixMinutesAgo), SECRET));
    expect(error.reason).toBe('timestamp_too_old');
  });

  it('accepts timestamp within window', async () => {
    const fourMinutesAgo = Math.floor(Date.now() / 1000) - 240;
    await expect(client.webhooks.verify(BODY, headersFor(BODY, fourMinutesAgo), SECRET)).resolves.toEqual(EVENT);
  });

  it('rejects missing header', async () => {
    const { 'x-vf-event-id': _, ...headers } = headersFor(BODY);
    const error = await failure(client.webhooks.verify(BODY, headers, SECRET));
    expect(error.reason).toBe('missing_header');
    expect(error.message).toContain('x-vf-event-id');
  });

  it('rejects malformed secret', async () => {
    const error = await failure(client.webhooks.verify(BODY, headersFor(BODY), KEY.toString('base64')));
    expect(error.reason).toBe('invalid_secret');
  });

  it('rejects signed non-event body', async () => {
    const error = await failure(client.webhooks.verify('[]', headersFor('[]'), SECRET));
    expect(error.reason).toBe('invalid_payload');
  });
});

/** The cases the Python SDK runs too, so both give the same outcome, reason and message. */
interface SharedCase {
  name: string;
  body: string;
  headers: Record<string, string>;
  secret: string;
  now: number;
  event_id?: string;
  error?: { reason: string; message: string };
}
const shared = JSON.parse(readFileSync(new URL('../fixtures/webhook-verify-cases.json', import.meta.url), 'utf8')) as { cases: SharedCase[] };

describe('webhooks.verify, cases shared with the Python SDK', () => {
  it.each(shared.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const outcome = client.webhooks.verify(c.body, c.headers, c.secret, { now: new Date(c.now * 1000) });
    if (c.error) {
      const error = await failure(outcome);
      expect({ reason: error.reason, message: error.message }).toEqual(c.error);
    } else {
      expect((await outcome).id).toBe(c.event_id);
    }
  });
});
