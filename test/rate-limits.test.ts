import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { REPO_ROOT } from '../server/src/config';
import { BURST_TOLERANCE_MS, paramsFor } from '../server/src/limits/gcra';
import { MemoryStore, RedisStore, type LimiterStore } from '../server/src/limits/stores';
import { ApiClient } from './support/client';
import { startTestServer, type TestServer } from './support/server';
import { makeTenant } from './support/tenants';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = promisify(execFile);

/** A clock the tests move by hand, so minutes of traffic take milliseconds. */
function manualClock(start = 1_800_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** Sends `perSecond` requests a second, evenly spaced, for `seconds`; returns admitted counts per second. */
async function drive(store: LimiterStore, key: string, ratePerMinute: number, clock: ReturnType<typeof manualClock>, perSecond: number, seconds: number) {
  const params = paramsFor(ratePerMinute);
  const admittedPerSecond: number[] = [];
  for (let second = 0; second < seconds; second++) {
    let admitted = 0;
    for (let i = 0; i < perSecond; i++) {
      if ((await store.consume(key, params)).allowed) admitted++;
      clock.advance(1000 / perSecond);
    }
    admittedPerSecond.push(admitted);
  }
  return admittedPerSecond;
}

const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
let keyCounter = 0;
const uniqueKey = () => `vf:rl:{test-${process.pid}-${Date.now()}-${keyCounter++}}:test:reads`;

afterAll(async () => {
  redis.disconnect();
});

const stores: [string, (clock: ReturnType<typeof manualClock>) => LimiterStore][] = [
  ['memory', (clock) => new MemoryStore(clock.now)],
  ['redis', (clock) => new RedisStore(redis, clock.now)],
];

describe.each(stores)('GCRA on the %s store', (_name, makeStore) => {
  it('never limits a client at 90% of budget', async () => {
    const clock = manualClock();
    const admitted = await drive(makeStore(clock), uniqueKey(), 600, clock, 9, 120);

    expect(admitted.every((count) => count === 9)).toBe(true);
  });

  it('admits twice the rate for 10 s, then limits', async () => {
    const clock = manualClock();
    const store = makeStore(clock);
    const key = uniqueKey();

    const burst = await drive(store, key, 600, clock, 20, 10);
    const [eleventh] = await drive(store, key, 600, clock, 20, 1);

    expect(burst).toEqual(Array(10).fill(20));
    expect(eleventh).toBeLessThanOrEqual(11);
    expect(eleventh).toBeGreaterThanOrEqual(9);
  });

  it('holds sustained excess to the rate', async () => {
    const clock = manualClock();
    const admitted = await drive(makeStore(clock), uniqueKey(), 600, clock, 40, 60);
    const total = admitted.reduce((sum, count) => sum + count, 0);
    const lastThirty = admitted.slice(30).reduce((sum, count) => sum + count, 0);

    // Budget (600 a minute) plus the burst allowance (10 s at the rate, plus the one request GCRA always admits).
    expect(total).toBeLessThanOrEqual(600 + 600 / 6 + 1);
    expect(lastThirty).toBeLessThanOrEqual(301);
    expect(lastThirty).toBeGreaterThanOrEqual(299);
  });

  it('reports the wait until the next admission', async () => {
    const clock = manualClock();
    const store = makeStore(clock);
    const key = uniqueKey();
    const params = paramsFor(120);
    let rejected = await store.consume(key, params);
    while (rejected.allowed) rejected = await store.consume(key, params);

    clock.advance(rejected.retryAfterMs - 1);
    const early = await store.consume(key, params);
    clock.advance(1);
    const onTime = await store.consume(key, params);

    expect(rejected.retryAfterMs).toBeGreaterThan(0);
    expect(rejected.retryAfterMs).toBeLessThanOrEqual(500);
    expect(early.allowed).toBe(false);
    expect(onTime.allowed).toBe(true);
  });

  it('counts the burst allowance in remaining', async () => {
    const clock = manualClock();
    const decision = await makeStore(clock).consume(uniqueKey(), paramsFor(600));

    expect(decision.allowed).toBe(true);
    expect(decision.remaining).toBe(BURST_TOLERANCE_MS / 100);
  });
});

describe('rate limits over HTTP', () => {
  let server: TestServer;
  let second: ChildProcess | undefined;
  let secondUrl: string;

  beforeAll(async () => {
    server = await startTestServer({ config: { redisUrl: REDIS_URL, readsPerMinute: 600, writesPerMinute: 120, rateLimitOverrideTtlMs: 100 } });

    // A second server process sharing the database and Redis, with no background worker.
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      REDIS_URL,
      PORT: String(port),
      WORKER_CONCURRENCY: '0',
      RATE_LIMIT_OVERRIDE_TTL_MS: '100',
      LOG_LEVEL: 'warn',
    };
    second = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: REPO_ROOT, env, stdio: 'ignore' });
    secondUrl = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const up = await fetch(`${secondUrl}/healthz`).then((r) => r.ok, () => false);
      if (up) break;
      if (Date.now() > deadline) throw new Error('The second server process did not start within 30 s.');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  afterAll(async () => {
    second?.kill('SIGTERM');
    await server?.close();
  });

  async function tenantWithLimits(reads: number, writes: number) {
    const tenant = await makeTenant(server.runtime.db, 'rate limits');
    await server.runtime.db.insertInto('tenant_rate_limits').values({ tenant_id: tenant.tenantId, reads_per_minute: reads, writes_per_minute: writes }).execute();
    return tenant;
  }

  it('shares one budget across two processes', async () => {
    const tenant = await tenantWithLimits(60, 60);
    const clients = [server.client(tenant.testKey), new ApiClient(secondUrl, tenant.testKey)];
    const started = Date.now();

    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => clients[i % 2]!.get('/v1/locations')));
    const elapsedSeconds = (Date.now() - started) / 1000;
    const admitted = responses.filter((r) => r.status === 200).length;

    // 60 a minute with a 10 s tolerance admits 11 at once, plus one per second that passes.
    expect(admitted).toBeGreaterThanOrEqual(11);
    expect(admitted).toBeLessThanOrEqual(11 + Math.ceil(elapsedSeconds));
    expect(responses.filter((r) => r.status === 429).length).toBe(40 - admitted);
  });

  it('answers 429 with retry-after in the problem shape', async () => {
    const tenant = await tenantWithLimits(60, 60);
    const api = server.client(tenant.testKey);
    let response = await api.get('/v1/locations');
    while (response.status === 200) response = await api.get('/v1/locations');

    expect(response.status).toBe(429);
    expect(response.body.error).toBe('Too many requests');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(response.headers.get('ratelimit')).toMatch(/^"reads";r=0;t=\d+$/);
  });

  it('admits the next request after retry-after', async () => {
    const tenant = await tenantWithLimits(60, 60);
    const api = server.client(tenant.testKey);
    let response = await api.get('/v1/locations');
    while (response.status === 200) response = await api.get('/v1/locations');
    const wait = Number(response.headers.get('retry-after'));

    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    const next = await api.get('/v1/locations');

    expect(wait).toBe(1);
    expect(next.status).toBe(200);
  });

  it('documents the budget on every response', async () => {
    const tenant = await makeTenant(server.runtime.db, 'headers');
    const api = server.client(tenant.liveKey);

    const read = await api.get('/v1/locations');
    const write = await api.post('/v1/locations', { name: 'Headers' });
    const rejected = await api.get('/v1/locations/loc_missing');

    expect(read.headers.get('ratelimit-policy')).toBe('"reads";q=600;w=60, "writes";q=120;w=60');
    expect(read.headers.get('ratelimit')).toMatch(/^"reads";r=\d+;t=\d+$/);
    expect(write.headers.get('ratelimit')).toMatch(/^"writes";r=\d+;t=\d+$/);
    expect(rejected.status).toBe(404);
    expect(rejected.headers.get('ratelimit')).toMatch(/^"reads";/);
  });

  it('keeps live and test budgets apart', async () => {
    const tenant = await tenantWithLimits(60, 60);
    let response = await server.client(tenant.testKey).get('/v1/locations');
    while (response.status === 200) response = await server.client(tenant.testKey).get('/v1/locations');

    const live = await server.client(tenant.liveKey).get('/v1/locations');

    expect(live.status).toBe(200);
  });

  it('applies CLI overrides without restart', async () => {
    const tenant = await makeTenant(server.runtime.db, 'override');
    const api = server.client(tenant.testKey);
    const env = { ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'warn' };
    const before = await api.get('/v1/locations');

    await run('node_modules/.bin/visitorflow', ['tenants', 'set-limits', '--tenant', tenant.tenantId, '--reads', '6000', '--writes', '900'], { cwd: REPO_ROOT, env });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const after = await api.get('/v1/locations');
    await run('node_modules/.bin/visitorflow', ['tenants', 'set-limits', '--tenant', tenant.tenantId, '--reset'], { cwd: REPO_ROOT, env });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const reset = await api.get('/v1/locations');

    expect(before.headers.get('ratelimit-policy')).toBe('"reads";q=600;w=60, "writes";q=120;w=60');
    expect(after.headers.get('ratelimit-policy')).toBe('"reads";q=6000;w=60, "writes";q=900;w=60');
    expect(reset.headers.get('ratelimit-policy')).toBe('"reads";q=600;w=60, "writes";q=120;w=60');
  });
});

describe('Redis outage', () => {
  let redisProcess: ChildProcess | undefined;
  let server: TestServer;
  const port = 20_000 + Math.floor(Math.random() * 20_000);

  async function startRedis(): Promise<void> {
    redisProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // Refused connections are expected until the server is up; the loop below retries them.
    probe.on('error', () => undefined);
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`redis-server did not start on 127.0.0.1:${port}.`);
  }

  async function stopRedis(): Promise<void> {
    const child = redisProcess;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }

  beforeAll(async () => {
    await startRedis();
    server = await startTestServer({ config: { redisUrl: `redis://127.0.0.1:${port}`, readsPerMinute: 600, writesPerMinute: 120 } });
  });

  afterAll(async () => {
    await server?.close();
    await stopRedis();
  });

  it('keeps serving and recovers', { timeout: 60_000 }, async () => {
    const tenant = await makeTenant(server.runtime.db, 'outage');
    const api = server.client(tenant.testKey);
    const healthy = await api.get('/v1/locations');

    await stopRedis();
    const started = Date.now();
    const during = await Promise.all([api.get('/v1/locations'), api.post('/v1/locations', { name: 'During outage' })]);
    const duringMs = Date.now() - started;
    const readyDuring = await server.client().get('/readyz');

    await startRedis();
    let readyAfter = await server.client().get('/readyz');
    for (let attempt = 0; attempt < 50 && readyAfter.body.checks.redis !== 'ok'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      readyAfter = await server.client().get('/readyz');
    }
    const after = await api.get('/v1/locations');
    const probe = new Redis({ port, host: '127.0.0.1' });
    const keys = await probe.keys(`vf:rl:{${tenant.tenantId}}:*`);
    probe.disconnect();

    expect(healthy.status).toBe(200);
    expect(during.map((r) => r.status)).toEqual([200, 201]);
    expect(during[0]?.headers.get('ratelimit')).toMatch(/^"reads";/);
    expect(duringMs).toBeLessThan(3000);
    expect(readyDuring.status).toBe(200);
    expect(readyDuring.body.checks.redis).toBe('unavailable');
    expect(readyAfter.body.checks.redis).toBe('ok');
    expect(after.status).toBe(200);
    expect(keys).toContain(`vf:rl:{${tenant.tenantId}}:test:reads`);
  });
});
