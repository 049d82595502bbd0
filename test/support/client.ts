import { assertMatchesContract } from './contract';

export interface ApiResponse<Body = any> {
  status: number;
  headers: Headers;
  body: Body;
}

/**
 * A small HTTP client for tests. Every response is checked against openapi.yaml before the
 * test gets it, so a handler that drifts from the contract fails every test that calls it.
 */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly key?: string,
  ) {}

  get(path: string, headers: Record<string, string> = {}) {
    return this.request('GET', path, { headers });
  }

  post(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request('POST', path, { body, headers });
  }

  patch(path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.request('PATCH', path, { body, headers });
  }

  /** Sends a request; `raw` sends a body as it is, for malformed input or binary uploads. */
  async request(method: string, path: string, options: { body?: unknown; raw?: string | Uint8Array; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.key) headers.authorization = `Bearer ${this.key}`;
    let body: string | Uint8Array | undefined = options.raw;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';

    const response = await fetch(new URL(path, this.baseUrl), { method, headers, body });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const parsed: unknown = contentType.includes('json') && text !== '' ? JSON.parse(text) : text;

    const pathname = new URL(path, this.baseUrl).pathname;
    assertMatchesContract(method, pathname, response.status, contentType, parsed);
    if (!response.headers.get('x-request-id')) throw new Error(`${method} ${path} → ${response.status} has no x-request-id header.`);
    return { status: response.status, headers: response.headers, body: parsed };
  }
}
