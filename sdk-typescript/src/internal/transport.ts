import { APIConnectionError, APITimeoutError } from '../errors.js';
import type { TransportSettings } from '../options.js';
import { needsIdempotencyKey, newIdempotencyKey } from './idempotency.js';
import type { RequestOptions } from './request-options.js';
import { isRetryableStatus, retryDelayMs, sleep } from './retry.js';

/**
 * Returns the fetch function for one SDK call. It sends the request up to `maxRetries + 1`
 * times, each attempt with its own timeout, and gives a POST or PATCH one Idempotency-Key for
 * all its attempts. It returns the last response (2xx or not) and throws APIConnectionError or
 * APITimeoutError only when no attempt got a response.
 */
export function createCallFetch(settings: TransportSettings, call: RequestOptions = {}): typeof fetch {
  const timeout = call.timeout ?? settings.timeout;
  const maxRetries = call.maxRetries ?? settings.maxRetries;

  return async function fetchWithRetries(input, init) {
    const request = new Request(input, init);
    if (needsIdempotencyKey(request.method) && !request.headers.has('idempotency-key')) {
      request.headers.set('idempotency-key', call.idempotencyKey ?? newIdempotencyKey());
    }
    const target = `${request.method} ${new URL(request.url).pathname}`;

    for (let attempt = 1; ; attempt++) {
      const retriesLeft = maxRetries - attempt + 1;
      settings.logger.debug(`VisitorFlow request ${target}`, { attempt });
      let response: Response;
      try {
        response = await sendOnce(settings.fetch, request.clone(), timeout, call.signal);
      } catch (error) {
        if (call.signal?.aborted || retriesLeft <= 0) throw error;
        await waitBeforeRetry(settings, target, attempt, undefined, error, call.signal);
        continue;
      }

      if (response.ok || !isRetryableStatus(response.status) || retriesLeft <= 0) return response;
      await response.body?.cancel();
      await waitBeforeRetry(settings, target, attempt, response, undefined, call.signal);
    }
  };
}

/** Sends one attempt; turns a network failure or the timeout into the SDK's errors. */
async function sendOnce(fetchFunction: typeof fetch, request: Request, timeout: number, signal: AbortSignal | undefined): Promise<Response> {
  const timer = new AbortController();
  const timeoutId = setTimeout(() => timer.abort(), timeout);
  const signals = signal ? [signal, timer.signal] : [timer.signal];
  try {
    // NOTE: the timeout ends when the response headers arrive, so a body that stalls afterwards is not timed out.
    return await fetchFunction(request, { signal: AbortSignal.any(signals) });
  } catch (error) {
    if (signal?.aborted) throw error;
    if (timer.signal.aborted) throw new APITimeoutError(timeout, { cause: error });
    throw new APIConnectionError(`Connection error: ${request.method} ${request.url} failed.`, { cause: error });
  } finally {
    clearTimeout(timeoutId);
  }
}

async function waitBeforeRetry(
  settings: TransportSettings,
  target: string,
  attempt: number,
  response: Response | undefined,
  error: unknown,
  signal: AbortSignal | undefined,
): Promise<void> {
  const delayMs = Math.round(retryDelayMs(attempt, response?.headers));
  settings.logger.warn(`VisitorFlow retrying ${target} in ${delayMs} ms`, {
    attempt,
    status: response?.status,
    requestId: response?.headers.get('x-request-id') ?? undefined,
    error: error instanceof Error ? error.message : undefined,
  });
  await sleep(delayMs, signal);
}
