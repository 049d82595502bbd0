import { VisitorFlowError } from './errors.js';
import { readEnv } from './internal/env.js';
import { SILENT_LOGGER, type Logger } from './logger.js';

/** The server `npm start` runs; production deployments pass their own `baseURL`. */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';
export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_RETRIES = 2;

/** Options shared by `VisitorFlow` and `KioskClient`. */
export interface TransportOptions {
  /** API root without `/v1`. Default: `VISITORFLOW_BASE_URL`, else `http://127.0.0.1:8080`. */
  baseURL?: string;
  /** Milliseconds each attempt may take before it is abandoned (and retried). Default: 60000. */
  timeout?: number;
  /** Retries after the first attempt for connection errors, timeouts, 408, 409, 429 and 5xx. Default: 2. */
  maxRetries?: number;
  /** The fetch function to send requests with. Default: `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Receives a line per attempt (debug) and per retry (warn). Default: none. */
  logger?: Logger;
}

/** Settings of a client after defaults and environment variables are applied. */
export interface TransportSettings {
  baseURL: string;
  timeout: number;
  maxRetries: number;
  fetch: typeof fetch;
  logger: Logger;
}

const TRANSPORT_OPTION_NAMES = ['baseURL', 'timeout', 'maxRetries', 'fetch', 'logger'] as const;

/**
 * Rejects option names the client does not know, listing the valid ones, so that a typo such
 * as `baseUrl` fails at construction instead of being ignored.
 */
export function rejectUnknownOptions(clientName: string, options: object, ownNames: readonly string[]): void {
  const valid = [...ownNames, ...TRANSPORT_OPTION_NAMES];
  const unknown = Object.keys(options).filter((name) => !valid.includes(name));
  if (unknown.length === 0) return;
  throw new VisitorFlowError(`Unknown option(s) for ${clientName}: ${unknown.join(', ')}. Valid options: ${valid.join(', ')}.`);
}

/** Applies defaults and environment variables, and checks that numbers are in range. */
export function resolveTransport(options: TransportOptions): TransportSettings {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new VisitorFlowError(`Invalid timeout ${String(timeout)}: pass a positive number of milliseconds.`);
  }
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new VisitorFlowError(`Invalid maxRetries ${String(maxRetries)}: pass a whole number, 0 or more.`);
  }
  const fetchFunction = options.fetch ?? globalThis.fetch;
  if (typeof fetchFunction !== 'function') {
    throw new VisitorFlowError('No fetch function: this runtime has no globalThis.fetch, so pass one as the fetch option.');
  }

  return {
    baseURL: (options.baseURL ?? readEnv('VISITORFLOW_BASE_URL') ?? DEFAULT_BASE_URL).replace(/\/+$/, ''),
    timeout,
    maxRetries,
    fetch: fetchFunction,
    logger: options.logger ?? SILENT_LOGGER,
  };
}
