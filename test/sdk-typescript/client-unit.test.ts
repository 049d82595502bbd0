import { describe, expect, it } from 'vitest';

import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  UnprocessableEntityError,
  VisitorFlow,
  VisitorFlowError,
} from '../../sdk-typescript/src/index';
import { jsonResponse, problem, scriptedFetch, type ScriptedReply } from './scripted-fetch';

const VISIT = {
  id: 'vis_1',
  type: 'visitor',
  status: 'onsite',
  location_id: 'loc_mty_01',
};
const VISIT_CREATE = {
  type: 'visitor' as const,
  host_id: 'h_98412',
  visitor: { name: 'Marisol Cruz', email: 'marisol@acme.com' },
  location_id: 'loc_mty_01',
};

function clientWith(replies: ScriptedReply[], options: { maxRetries?: number; timeout?: number } = {}) {
  const scripted = scriptedFetch(replies);
  const client = new VisitorFlow({ apiKey: 'vfp_test_unit', baseURL: 'http://127.0.0.1:9', fetch: scripted.fetch, ...options });
  return { client, requests: scripted.requests };
}

describe('VisitorFlow options', () => {
  it('rejects missing API key', () => {
    const previous = process.env.VISITORFLOW_API_KEY;
    delete process.env.VISITORFLOW_API_KEY;
    try {
      expect(() => new VisitorFlow()).toThrow(/new VisitorFlow\(\{ apiKey \}\) or set the VISITORFLOW_API_KEY environment variable/);
    } finally {
      if (previous !== undefined) process.env.VISITORFLOW_API_KEY = previous;
    }
  });

  it('reads key and base URL from env', async () => {
    const previous = { key: process.env.VISITORFLOW_API_KEY, url: process.env.VISITORFLOW_BASE_URL };
    process.env.VISITORFLOW_API_KEY = 'vfp_test_from_env';
    process.env.VISITORFLOW_BASE_URL = 'http://127.0.0.1:7777/';
    try {
      const scripted = scriptedFetch([jsonResponse(200, VISIT)]);
      await new VisitorFlow({ fetch: scripted.fetch }).visits.retrieve('vis_1');
      expect(scripted.requests[0]?.url).toBe('http://127.0.0.1:7777/v1/visits/vis_1');
      expect(scripted.requests[0]?.headers.get('authorization')).toBe('Bearer vfp_test_from_env');
    } finally {
      for (const [name, value] of [['VISITORFLOW_API_KEY', previous.key], ['VISITORFLOW_BASE_URL', previous.url]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('rejects unknown options with list', () => {
    const options = { apiKey: 'vfp_test_x', baseUrl: 'http://127.0.0.1:1' } as never;
    expect(() => new VisitorFlow(options)).toThrow('Unknown option(s) for VisitorFlow: baseUrl. Valid options: apiKey, baseURL, timeout, maxRetries, fetch, logger.');
  });

  it('rejects negative maxRetries', () => {
    expect(() => new VisitorFlow({ apiKey: 'vfp_test_x', maxRetries: -1 })).toThrow(VisitorFlowError);
  });
});

describe('retries', () => {
  it('retries 429 after retry-after', async () => {
    const { client, requests } = clientWith([
      jsonResponse(429, problem(429, 'Too many requests'), { 'retry-after': '1' }),
      jsonResponse(200, VISIT),
    ]);
    const started = Date.now();
    const visit = await client.visits.retrieve('vis_1');
    expect(visit.id).toBe('vis_1');
    expect(requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('does not retry 400', async () => {
    const { client, requests } = clientWith([
      jsonResponse(400, problem(400, 'Invalid request', { issues: { fieldErrors: { 'visitor.email': ['must be an email address'] } } })),
    ]);
    const error = await client.visits.create(VISIT_CREATE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).fieldErrors).toEqual({ 'visitor.email': ['must be an email address'] });
    expect(requests).toHaveLength(1);
  });

  it('reuses idempotency key across retries', async () => {
    const { client, requests } = clientWith([
      jsonResponse(503, problem(503, 'Service unavailable'), { 'retry-after': '0' }),
      new TypeError('fetch failed'),
      jsonResponse(201, VISIT),
    ]);
    await client.visits.create(VISIT_CREATE);
    expect(requests).toHaveLength(3);
    const keys = requests.map((r) => r.headers.get('idempotency-key'));
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(keys).size).toBe(1);
    expect(await requests[2]?.json()).toEqual(VISIT_CREATE);
  });

  it('uses new key per call', async () => {
    const { client, requests } = clientWith([jsonResponse(201, VISIT), jsonResponse(201, VISIT)]);
    await client.visits.create(VISIT_CREATE);
    await client.visits.create(VISIT_CREATE);
    expect(requests[0]?.headers.get('idempotency-key')).not.toBe(requests[1]?.headers.get('idempotency-key'));
  });

  it('sends given idempotency key', async () => {
    const { client, requests } = clientWith([jsonResponse(200, VISIT)]);
    await client.visits.update('vis_1', { status: 'checked_out' }, { idempotencyKey: 'checkout-vis_1' });
    expect(requests[0]?.headers.get('idempotency-key')).toBe('checkout-vis_1');
  });

  it('sends no key on GET', async () => {
    const { client, requests } = clientWith([jsonResponse(200, VISIT)]);
    await client.visits.retrieve('vis_1');
    expect(requests[0]?.headers.has('idempotency-key')).toBe(false);
  });

  it('gives up after maxRetries', async () => {
    const { client, requests } = clientWith([
      jsonResponse(500, problem(500, 'Internal error'), { 'retry-after': '0' }),
      jsonResponse(500, problem(500, 'Internal error'), { 'retry-after': '0' }),
    ], { maxRetries: 1 });
    await expect(client.visits.retrieve('vis_1')).rejects.toBeInstanceOf(InternalServerError);
    expect(requests).toHaveLength(2);
  });

  it('times out each attempt', async () => {
    const hang = (request: Request) =>
      new Promise<Response>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason)));
    const { client, requests } = clientWith([hang, hang], { timeout: 50, maxRetries: 1 });
    const error = await client.visits.retrieve('vis_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toBe('Request timed out after 50 ms.');
    expect(requests).toHaveLength(2);
  });

  it('wraps network failure', async () => {
    const { client } = clientWith([new TypeError('fetch failed')], { maxRetries: 0 });
    const error = await client.visits.retrieve('vis_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as APIConnectionError).cause).toBeInstanceOf(TypeError);
  });
});

describe('pagination', () => {
  const pages = [
    { data: [{ ...VISIT, id: 'vis_1' }, { ...VISIT, id: 'vis_2' }], next_cursor: 'c2' },
    { data: [{ ...VISIT, id: 'vis_3' }], next_cursor: 'c3' },
    { data: [{ ...VISIT, id: 'vis_4' }], next_cursor: null },
  ];

  it('walks three pages with for await', async () => {
    const { client, requests } = clientWith(pages.map((page) => jsonResponse(200, page)));
    const ids: string[] = [];
    for await (const visit of client.visits.list({ location_id: 'loc_mty_01', limit: 2 })) ids.push(visit.id);
    expect(ids).toEqual(['vis_1', 'vis_2', 'vis_3', 'vis_4']);
    const queries = requests.map((r) => new URL(r.url).searchParams);
    expect(queries.map((q) => q.get('cursor'))).toEqual([null, 'c2', 'c3']);
    expect(queries.map((q) => q.get('location_id'))).toEqual(['loc_mty_01', 'loc_mty_01', 'loc_mty_01']);
  });

  it('awaits first page only', async () => {
    const { client, requests } = clientWith([jsonResponse(200, pages[0])]);
    const page = await client.visits.list();
    expect(page.next_cursor).toBe('c2');
    expect(page.data).toHaveLength(2);
    expect(requests).toHaveLength(1);
  });
});

describe('error classes', () => {
  const cases = [
    [400, BadRequestError],
    [401, AuthenticationError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [403, APIError],
  ] as const;

  it.each(cases)('maps %i', async (status, ErrorClass) => {
    const { client } = clientWith([jsonResponse(status, problem(status, `Problem ${status}`), { 'retry-after': '7' })], { maxRetries: 0 });
    const error = await client.visits.retrieve('vis_1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(VisitorFlowError);
    const apiError = error as APIError;
    expect(apiError.status).toBe(status);
    expect(apiError.message).toBe(`${status} Problem ${status}`);
    expect(apiError.requestId).toBe(`req_${status}`);
    expect(apiError.headers?.get('retry-after')).toBe('7');
    expect(apiError.body).toMatchObject({ error: `Problem ${status}`, status });
  });

  it('gives retryAfter in seconds', async () => {
    const { client } = clientWith([jsonResponse(429, problem(429, 'Too many requests'), { 'retry-after': '120' })], { maxRetries: 0 });
    const error = await client.visits.retrieve('vis_1').catch((e: unknown) => e);
    expect((error as RateLimitError).retryAfter).toBe(120);
  });

  it('appends problem detail', async () => {
    const body = problem(409, 'Conflict', { detail: 'The visit is already checked out.' });
    const { client } = clientWith([jsonResponse(409, body)], { maxRetries: 0 });
    await expect(client.visits.update('vis_1', { status: 'checked_out' })).rejects.toThrow('409 Conflict: The visit is already checked out.');
  });
});
