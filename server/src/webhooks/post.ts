import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';

import { pinnedLookup, resolveWebhookTarget, WebhookTargetError, type Resolver } from './target';

/** The outcome of one POST to an endpoint. `error` is set unless a 2xx response arrived in time. */
export interface PostResult {
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  retryAfter: string | undefined;
}

export interface PostOptions {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
  resolver?: Resolver;
}

// Receivers answer with a short acknowledgement; the rest of a long body is read and dropped.
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs a webhook body once. The host is resolved and every address checked first, and the
 * connection goes only to a checked address. Redirects are not followed (a 3xx is a failure),
 * and the whole attempt, resolution included, must finish within `timeoutMs`.
 */
export async function postWebhook(options: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);

  try {
    const outcome = await Promise.race([send(options, controller.signal), whenAborted(controller.signal, options.timeoutMs)]);
    return { ...outcome, durationMs: elapsed() };
  } catch (error) {
    return { statusCode: null, durationMs: elapsed(), error: describe(error), retryAfter: undefined };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

async function send(options: PostOptions, signal: AbortSignal): Promise<Omit<PostResult, 'durationMs'>> {
  const url = new URL(options.url);
  const addresses = await resolveWebhookTarget(url, { allowPrivate: options.allowPrivate, resolver: options.resolver });
  const transport = url.protocol === 'https:' ? https : http;

  return new Promise((resolve, reject) => {
    const request = transport.request(url, {
      method: 'POST',
      headers: { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
      lookup: pinnedLookup(addresses),
      agent: false,
      signal,
    });
    request.on('error', reject);
    request.on('response', (response) => {
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) response.destroy();
      });
      response.on('error', reject);
      response.on('close', () => {
        const statusCode = response.statusCode ?? 0;
        const ok = statusCode >= 200 && statusCode < 300;
        resolve({
          statusCode,
          error: ok ? null : `the endpoint answered HTTP ${statusCode}`,
          retryAfter: headerValue(response.headers['retry-after']),
        });
      });
    });
    request.end(options.body);
  });
}

class AttemptTimeoutError extends Error {}

function whenAborted(signal: AbortSignal, timeoutMs: number): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(new AttemptTimeoutError(`timed out after ${timeoutMs} ms`)), { once: true });
  });
}

function describe(error: unknown): string {
  if (error instanceof AttemptTimeoutError) return error.message;
  if (error instanceof WebhookTargetError) return `blocked: ${error.message}`;
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `connection failed: ${code} ${message}` : `connection failed: ${message}`;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
