import type { IncomingHttpHeaders } from 'node:http';

import { sql, type Kysely } from 'kysely';

import type { Database } from '../../server/src/db/schema';
import type { ApiClient } from './client';

type Verification = { ok: true; eventId: string } | { ok: false; reason: string };
type Verify = (input: { rawBody: string; headers: IncomingHttpHeaders; secret: string; now?: number }) => Verification;

/** The verification functions of examples/webhook-receiver, the recipe that docs/webhooks.md documents. */
export interface WebhookVerifier {
  verifyVisitorFlowSignature: Verify;
  verifyStandardWebhook: Verify;
}

/** Loads the example receiver's verify.mjs, so the tests check the code integrators copy. */
export async function loadVerifier(): Promise<WebhookVerifier> {
  // A non-literal specifier keeps TypeScript from looking for declarations of the .mjs file.
  const path: string = '../../examples/webhook-receiver/verify.mjs';
  return (await import(path)) as WebhookVerifier;
}

/** Creates a webhook endpoint through the API and returns it with its secret. */
export async function createEndpoint(api: ApiClient, body: Record<string, unknown>): Promise<{ id: string; secret: string; [key: string]: unknown }> {
  const response = await api.post('/v1/webhook-endpoints', body);
  if (response.status !== 201) throw new Error(`Creating a webhook endpoint failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Waits until `check` returns a value other than undefined, polling every 50 ms. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The queued job of a delivery, if any: when it runs next. */
export async function deliveryJob(db: Kysely<Database>, deliveryId: string): Promise<{ run_at: Date; locked_at: Date | null } | undefined> {
  const result = await sql<{ run_at: Date; locked_at: Date | null }>`
    select run_at, locked_at from graphile_worker.jobs where key = ${`webhook_delivery:${deliveryId}`}`.execute(db);
  return result.rows[0];
}
