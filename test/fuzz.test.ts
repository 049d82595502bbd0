import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { formatSummary, runFuzz, type FuzzSummary } from '../fuzz/fuzzer';
import { startTestServer, type TestServer } from './support/server';

// A short, fixed-seed version of `npm run fuzz`; the full run sends 10,000 requests.
const REQUESTS = 400;
const SEED = 20_260_502;

let server: TestServer;
let summary: FuzzSummary;

beforeAll(async () => {
  server = await startTestServer();
  summary = await runFuzz({ baseUrl: server.url, db: server.runtime.db, requests: REQUESTS, seed: SEED });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe('generated requests', () => {
  it('pass every response check', () => {
    expect(summary.failure, formatSummary(summary)).toBeUndefined();
  });

  it('cover every request kind', () => {
    for (const [kind, count] of Object.entries(summary.byKind)) expect(count, kind).toBeGreaterThan(0);
    expect(summary.generatedRuns).toBe(REQUESTS);
  });

  it('reach most operations', () => {
    const reached = Object.keys(summary.byOperation).length;
    expect(reached).toBeGreaterThanOrEqual(25);
  });
});
