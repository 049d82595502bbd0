/**
 * `npm run bench`: measures what the whole stack costs per request.
 *
 * Starts VisitorFlow (API only) and a bare Express + pg baseline against a fresh database on
 * the local PostgreSQL, with rate limits in the local Redis, seeds visits in bulk, loads each
 * scenario from a separate autocannon process over 127.0.0.1, and writes a markdown table to
 * bench/results/. Timings depend on the machine; compare the ratios, which come from one run.
 *
 * Options: --visits N (default 100000), --duration S per scenario (default 10), --warmup S
 * of unmeasured load before each measurement (default 2), --connections N (default 10),
 * --output DIR for the report (default bench/results). Environment: DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres, used to create the bench database) and
 * REDIS_URL (default redis://127.0.0.1:6379).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { Redis } from 'ioredis';
import pg from 'pg';

import { REPO_ROOT } from '../server/src/config';
import { createDatabaseIfMissing, openDatabase } from '../server/src/db/connect';
import { migrateToLatest } from '../server/src/db/migrate';
import { createLogger } from '../server/src/log';
import { encodeCursor } from '../server/src/resources/pagination';
import { createTenant } from '../server/src/tenants';

const { values } = parseArgs({
  options: {
    visits: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    output: { type: 'string', default: 'bench/results' },
  },
});
const VISITS = Number(values.visits);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const WARMUP = Number(values.warmup);
const OUTPUT = values.output;
if (!Number.isInteger(VISITS) || VISITS < 1000 || VISITS > 50_000_000) throw new Error('--visits must be a whole number from 1000 to 50000000.');

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SEED_BATCH = 50_000;

interface LoadResult {
  requestsPerSecond: number;
  /** Milliseconds, with fractions; autocannon's percentiles are whole milliseconds. */
  meanLatency: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  baselinePath: string;
  body?: string;
  key: 'main' | 'limited';
}

async function main(): Promise<void> {
  const log = createLogger('warn');
  const databaseName = `visitorflow_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await createDatabaseIfMissing(ADMIN_URL, databaseName);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${databaseName}`;
  const databaseUrl = url.toString();
  console.log(`bench database: ${databaseName}`);

  const children: ChildProcess[] = [];
  try {
    const { db, pool } = openDatabase(databaseUrl, log);
    await migrateToLatest(db, pool, log);

    const { tenant, keys } = await createTenant(db, 'Bench');
    const limited = await createTenant(db, 'Bench (limited)');
    // The bench tenant's budget is out of reach so only the 429 scenario meets the limiter.
    await db.insertInto('tenant_rate_limits').values({ tenant_id: tenant.id, reads_per_minute: 100_000_000, writes_per_minute: 100_000_000 }).execute();
    await db.insertInto('tenant_rate_limits').values({ tenant_id: limited.tenant.id, reads_per_minute: 1, writes_per_minute: 1 }).execute();
    await seed(pool, tenant.id);
    const deepCursor = await cursorAt(pool, tenant.id, Math.floor(VISITS * 0.9));
    const anyVisit = (await pool.query('select id from visits where tenant_id = $1 limit 1', [tenant.id])).rows[0].id as string;
    await db.destroy();

    const apiPort = 30_000 + Math.floor(Math.random() * 10_000);
    const basePort = apiPort + 1;
    children.push(startProcess(['--import', 'tsx', 'server/src/main.ts'], {
      DATABASE_URL: databaseUrl, REDIS_URL, PORT: String(apiPort), WORKER_CONCURRENCY: '0', LOG_LEVEL: 'error',
    }));
    children.push(startProcess(['--import', 'tsx', 'bench/baseline-server.ts'], { DATABASE_URL: databaseUrl, PORT: String(basePort), BENCH_TENANT_ID: tenant.id }));
    await waitForHttp(`http://127.0.0.1:${apiPort}/healthz`);
    await waitForHttp(`http://127.0.0.1:${basePort}/v1/visits/${anyVisit}`);

    const visitBody = JSON.stringify({ type: 'visitor', host_id: 'h_bench', visitor: { name: 'Bench Visitor', email: 'bench@example.com' }, location_id: 'loc_bench' });
    const scenarios: Scenario[] = [
      { name: 'create visit', method: 'POST', path: '/v1/visits', baselinePath: '/v1/visits', body: visitBody, key: 'main' },
      { name: 'list visits, first page', method: 'GET', path: '/v1/visits?limit=25', baselinePath: '/v1/visits', key: 'main' },
      { name: `list visits, page at row ${Math.floor(VISITS * 0.9)}`, method: 'GET', path: `/v1/visits?limit=25&cursor=${deepCursor}`, baselinePath: `/v1/visits?cursor=${deepCursor}`, key: 'main' },
      { name: 'get visit', method: 'GET', path: `/v1/visits/${anyVisit}`, baselinePath: `/v1/visits/${anyVisit}`, key: 'main' },
      { name: 'rejected with 429', method: 'GET', path: '/v1/visits', baselinePath: '/limited', key: 'limited' },
    ];

    const rows: { scenario: Scenario; api: LoadResult; baseline: LoadResult }[] = [];
    for (const scenario of scenarios) {
      const key = scenario.key === 'main' ? keys.test.secret : limited.keys.test.secret;
      const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
      process.stdout.write(`${scenario.name}: VisitorFlow… `);
      const api = await load({ url: `http://127.0.0.1:${apiPort}${scenario.path}`, method: scenario.method, headers, body: scenario.body });
      process.stdout.write(`${Math.round(api.requestsPerSecond)} req/s; baseline… `);
      const baseline = await load({ url: `http://127.0.0.1:${basePort}${scenario.baselinePath}`, method: scenario.method, headers, body: scenario.body });
      console.log(`${Math.round(baseline.requestsPerSecond)} req/s`);
      rows.push({ scenario, api, baseline });
    }

    await writeReport(rows, databaseName);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`drop database if exists "${databaseName}" with (force)`);
    await admin.end();
  }
}

/** Inserts VISITS driver and visitor visits with generate_series, SEED_BATCH rows per statement, printing progress. */
async function seed(pool: pg.Pool, tenantId: string): Promise<void> {
  const now = new Date();
  await pool.query(
    `insert into locations (tenant_id, mode, id, name, timezone, locale, created_at, updated_at) values ($1, 'test', 'loc_bench', 'Bench plant', 'UTC', 'en', $2, $2)`,
    [tenantId, now],
  );
  await pool.query(
    `insert into hosts (tenant_id, mode, id, location_id, name, email, created_at, updated_at) values ($1, 'test', 'h_bench', 'loc_bench', 'Bench Host', 'host@example.com', $2, $2)`,
    [tenantId, now],
  );
  const started = Date.now();
  for (let offset = 0; offset < VISITS; offset += SEED_BATCH) {
    const count = Math.min(SEED_BATCH, VISITS - offset);
    // One visit a second going back in time, so created_at orders the rows like real traffic.
    await pool.query(
      `insert into visits (tenant_id, mode, id, type, status, location_id, host_id, visitor_name, visitor_email,
         host_notified, checked_in_at, created_at, updated_at)
       select $1, 'test', 'vis_seed' || n, 'visitor', case when n % 3 = 0 then 'checked_out' else 'onsite' end, 'loc_bench', 'h_bench',
              'Visitor ' || n, 'visitor' || n || '@example.com', true, t, t, t
       from generate_series($2::int, $3::int) as n,
            lateral (select date_trunc('milliseconds', $4::timestamptz - make_interval(secs => n)) as t) as times`,
      [tenantId, offset + 1, offset + count, now],
    );
    const done = offset + count;
    process.stdout.write(`\rseeding visits: ${done}/${VISITS} (${Math.round((done / VISITS) * 100)}%, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  process.stdout.write('\n');
  await pool.query('analyze visits');
}

async function cursorAt(pool: pg.Pool, tenantId: string, offset: number): Promise<string> {
  const row = (
    await pool.query('select created_at, id from visits where tenant_id = $1 and mode = $2 order by created_at desc, id desc offset $3 limit 1', [tenantId, 'test', offset])
  ).rows[0] as { created_at: Date; id: string };
  return encodeCursor({ createdAt: row.created_at, id: row.id });
}

function startProcess(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

async function waitForHttp(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await fetch(url).then((r) => r.status < 500, () => false);
    if (up) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer within 60 s.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

type LoadOptions = { url: string; method: 'GET' | 'POST'; headers: Record<string, string>; body?: string | undefined };

/** Warms the server up (JIT, connection pool, caches) unmeasured, then measures. */
async function load(options: LoadOptions): Promise<LoadResult> {
  if (WARMUP > 0) await runAutocannon(options, WARMUP);
  return runAutocannon(options, DURATION);
}

function runAutocannon(options: LoadOptions, duration: number): Promise<LoadResult> {
  const args = ['--import', 'tsx', 'bench/load.ts', JSON.stringify({ ...options, duration, connections: CONNECTIONS })];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output) as LoadResult) : reject(new Error(`autocannon exited with ${code}`))));
  });
}

async function versions(): Promise<{ postgres: string; redis: string }> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  const postgres = (await client.query('show server_version')).rows[0].server_version as string;
  await client.end();
  const redis = new Redis(REDIS_URL);
  const info = await redis.info('server');
  redis.disconnect();
  return { postgres, redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown' };
}

async function writeReport(rows: { scenario: Scenario; api: LoadResult; baseline: LoadResult }[], databaseName: string): Promise<void> {
  const { postgres, redis } = await versions();
  const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : `${(a / b).toFixed(2)}×`);
  const first = rows[1]!;
  const deep = rows[2]!;
  const deepRatio = deep.api.meanLatency / first.api.meanLatency;
  const stamp = new Date().toISOString();

  const lines = [
    `# Benchmark ${stamp}`,
    '',
    `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}, PostgreSQL ${postgres}, Redis ${redis}.`,
    `${VISITS} seeded visits; each scenario ran ${DURATION} s (after ${WARMUP} s of unmeasured warm-up) with ${CONNECTIONS} connections from a separate autocannon process over 127.0.0.1.`,
    'The baseline is a bare Express + pg server running the same SQL without authentication, validation, rate limits or idempotency.',
    '',
    'Latencies are in milliseconds. Ratios are VisitorFlow divided by the baseline: below 1× for throughput and above 1× for latency is the cost of the stack.',
    '',
    '| scenario | VisitorFlow req/s | mean | p50 | p99 | baseline req/s | mean | p50 | p99 | throughput ratio | mean latency ratio | VisitorFlow non-2xx |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(({ scenario, api, baseline }) =>
      `| ${scenario.name} | ${Math.round(api.requestsPerSecond)} | ${api.meanLatency.toFixed(2)} | ${api.p50} | ${api.p99} | ${Math.round(baseline.requestsPerSecond)} | ${baseline.meanLatency.toFixed(2)} | ${baseline.p50} | ${baseline.p99} | ${ratio(api.requestsPerSecond, baseline.requestsPerSecond)} | ${ratio(api.meanLatency, baseline.meanLatency)} | ${api.non2xx} |`,
    ),
    '',
    `Deep page / first page, mean latency: ${deepRatio.toFixed(2)}× (keyset pagination should keep this within 1.2×: ${deepRatio <= 1.2 ? 'yes' : 'NO'}).`,
    `The 429 scenario's non-2xx count is every request, as intended. Database: ${databaseName} (dropped after the run).`,
    '',
  ];
  const report = lines.join('\n');
  const folder = resolve(REPO_ROOT, OUTPUT);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, `${stamp.replaceAll(':', '-').slice(0, 19)}.md`), report);
  await writeFile(join(folder, 'latest.md'), report);
  console.log(`\n${report}`);
}

await main();
