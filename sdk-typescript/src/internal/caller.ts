import { VisitorFlowError } from '../errors.js';
import type { Client } from '../generated/client/index.js';
import type { TransportSettings } from '../options.js';
import { PagePromise, type CursorPage } from '../pagination.js';
import { makeAPIError } from './make-error.js';
import type { RequestOptions } from './request-options.js';
import { createCallFetch } from './transport.js';

export type { RequestOptions } from './request-options.js';

/** The options every generated SDK function gets for one call: the client, the fetch with retries, and per-call headers. */
export interface CallInit {
  client: Client;
  fetch: typeof fetch;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The result shape of the generated SDK functions (hey-api's `responseStyle: 'fields'`). */
interface SdkResult {
  data?: unknown;
  error?: unknown;
  response?: Response;
}

type Data<Result extends SdkResult> = Exclude<Result['data'], undefined>;

/**
 * Calls generated SDK functions for the resource methods: sends each call through the
 * retrying fetch, throws the matching APIError for a response that is not 2xx, and returns
 * the parsed body, the bytes, or a PagePromise.
 */
export class Caller {
  readonly #client: Client;
  readonly #settings: TransportSettings;

  constructor(client: Client, settings: TransportSettings) {
    this.#client = client;
    this.#settings = settings;
  }

  async json<Result extends SdkResult>(invoke: (init: CallInit) => Promise<Result>, options?: RequestOptions): Promise<Data<Result>> {
    const result = await invoke(this.#init(options));
    const data = this.#unwrap(result);
    // hey-api parses an empty 2xx body to {}, so data is never undefined here.
    return data as Data<Result>;
  }

  list<Result extends SdkResult>(
    invoke: (init: CallInit, cursor: string | undefined) => Promise<Result>,
    options?: RequestOptions,
  ): PagePromise<Data<Result> & CursorPage<unknown>> {
    return new PagePromise(async (cursor) => {
      const page = this.#unwrap(await invoke(this.#init(options), cursor));
      if (!isCursorPage(page)) throw new VisitorFlowError('The list response has no data array and next_cursor; is the SDK older than the server?');
      return page as Data<Result> & CursorPage<unknown>;
    });
  }

  async binary(invoke: (init: CallInit) => Promise<SdkResult>, options?: RequestOptions): Promise<Uint8Array> {
    const data = this.#unwrap(await invoke(this.#init(options)));
    if (!(data instanceof ArrayBuffer)) throw new VisitorFlowError('Expected a binary response body.');
    return new Uint8Array(data);
  }

  async empty(invoke: (init: CallInit) => Promise<SdkResult>, options?: RequestOptions): Promise<void> {
    this.#unwrap(await invoke(this.#init(options)));
  }

  #init(options: RequestOptions = {}): CallInit {
    const init: CallInit = { client: this.#client, fetch: createCallFetch(this.#settings, options) };
    if (options.headers) init.headers = options.headers;
    if (options.signal) init.signal = options.signal;
    return init;
  }

  #unwrap(result: SdkResult): unknown {
    // The generated client returns a thrown fetch error (ours, or the caller's abort) as `error` without a response.
    if (!result.response) throw result.error instanceof Error ? result.error : new VisitorFlowError(`Request failed: ${String(result.error)}`);
    if (!result.response.ok) throw makeAPIError(result.response, result.error);
    return result.data;
  }
}

function isCursorPage(value: unknown): value is CursorPage<unknown> {
  return typeof value === 'object' && value !== null && Array.isArray((value as CursorPage<unknown>).data) && 'next_cursor' in value;
}
