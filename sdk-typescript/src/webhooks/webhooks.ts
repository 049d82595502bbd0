import type { Event } from '../generated/types.gen.js';
import { verifyWebhook, type VerifyOptions, type WebhookHeaders } from './verify.js';

/** Webhook helpers, available as `client.webhooks`. They make no requests. */
export class Webhooks {
  /** Checks a delivery's signature and timestamp and returns its event; see `verifyWebhook`. */
  verify(rawBody: string | Uint8Array, headers: WebhookHeaders, secret: string, options?: VerifyOptions): Promise<Event> {
    return verifyWebhook(rawBody, headers, secret, options);
  }
}
