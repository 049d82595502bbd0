import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { REPO_ROOT } from '../server/src/config';
import { createDatabaseIfMissing, openDatabase } from '../server/src/db/connect';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../server/src/db/embedded';
import { migrateToLatest } from '../server/src/db/migrate';
import { createLogger } from '../server/src/log';
import { createTenant } from '../server/src/tenants';
import type { ApiClient } from './support/client';
import { assertMatchesContract } from './support/contract';
import { connectionErrorCode, connectRaw, freePort, readRawResponse } from './support/raw-http';
import { startTestServer, type TestServer } from './support/server';
import { makeTenant, REFERENCE_VISITOR_VISIT, seedReferenceDirectory, type TestTenant } from './support/tenants';

const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
const KIOSK_ORIGIN = 'https://kiosk.example.test';
const OTHER_ORIGIN = 'https://other.example.test';

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Builds the start of a raw POST /v1/visits: headers announcing all of `body`, then only its first `sentBytes` bytes. */
function partialVisitRequest(port: number, apiKey: string, body: Buffer, sentBytes: number): Buffer {
  const head = [
    'POST /v1/visits HTTP/1.1',
    `Host: 127.0.0.1:${port}`,
    `Authorization: Bearer ${apiKey}`,
    'Content-Type: application/json',
    `Content-Length: ${body.length}`,
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head), body.subarray(0, sentBytes)]);
}

describe('database restart', () => {
  let dataDir: string;
  let postgresPort: number;
  let postgres: EmbeddedDatabase | undefined;
  let server: TestServer;
  let api: ApiClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'visitorflow-restart-'));
    postgresPort = await freePort();
    postgres = await startEmbeddedPostgres(dataDir, postgresPort, log);
    await createDatabaseIfMissing(postgres.adminUrl, 'visitorflow_restart');
    const databaseUrl = new URL(postgres.adminUrl);
    databaseUrl.pathname = '/visitorflow_restart';

    server = await startTestServer({ config: { databaseUrl: databaseUrl.toString() } });
    const tenant = await makeTenant(server.runtime.db, 'database restart');
    api = server.client(tenant.testKey);
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await postgres?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('lists visits before outage', async () => {
    const response = await api.get('/v1/visits');

    expect(response.status).toBe(200);
  });

  describe('while PostgreSQL is stopped', () => {
    beforeAll(async () => {
      await postgres?.stop();
      postgres = undefined;
    });

    it('answers 503 with retry-after', async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const started = Date.now();
        const response = await api.get('/v1/visits');
        const elapsedMs = Date.now() - started;

        expect(response.status).toBe(503);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.body.status).toBe(503);
        expect(response.body.type).toBe('urn:visitorflow:problem:unavailable');
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(elapsedMs).toBeLessThan(3_000);
      }
    });

    it('readyz reports database unavailable', async () => {
      const response = await server.client().get('/readyz');

      expect(response.status).toBe(503);
      expect(response.body.status).toBe('unavailable');
      expect(response.body.checks.database).toBe('unavailable');
    });
  });

  describe('after PostgreSQL restarts', () => {
    beforeAll(async () => {
      postgres = await startEmbeddedPostgres(dataDir, postgresPort, log);
    }, 60_000);

    it('answers 200 without API restart', async () => {
      const response = await api.get('/v1/visits');

      expect(response.status).toBe(200);
      expect(response.body.data).toEqual([]);
    });

    it('readyz reports database ok', async () => {
      const response = await server.client().get('/readyz');

      expect(response.status).toBe(200);
      expect(response.body.status).toBe('ok');
      expect(response.body.checks.database).toBe('ok');
    });
  });
});

describe('CORS', () => {
  let plain: TestServer;
  let withCors: TestServer;
  let tenant: TestTenant;

  beforeAll(async () => {
    plain = await startTestServer();
    withCors = await startTestServer({ config: { corsOrigins: [KIOSK_ORIGIN] } });
    tenant = await makeTenant(plain.runtime.db, 'cors');
  });

  afterAll(async () => {
    await plain?.close();
    await withCors?.close();
  });

  /** Sends a CORS preflight with fetch, because ApiClient rejects OPTIONS responses that openapi.yaml does not document. */
  function preflight(baseUrl: string, origin: string): Promise<Response> {
    return fetch(new URL('/v1/visits', baseUrl), {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
  }

  it('sends no CORS headers by default', async () => {
    const response = await plain.client(tenant.testKey).get('/v1/visits', { origin: KIOSK_ORIGIN });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-expose-headers')).toBeNull();
  });

  it('answers preflight without API key', async () => {
    const response = await preflight(withCors.url, KIOSK_ORIGIN);

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(KIOSK_ORIGIN);
    expect(response.headers.get('access-control-allow-methods')?.split(/,\s*/)).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH']));
    expect(response.headers.get('access-control-allow-headers')?.split(/,\s*/)).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']));
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
  });

  it('allows GET from listed origin', async () => {
    const response = await withCors.client(tenant.testKey).get('/v1/visits', { origin: KIOSK_ORIGIN });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(KIOSK_ORIGIN);
    expect(response.headers.get('access-control-expose-headers')?.split(/,\s*/)).toEqual(
      expect.arrayContaining(['x-request-id', 'ratelimit', 'ratelimit-policy', 'retry-after', 'idempotent-replayed']),
    );
    expect(response.headers.get('vary')).toMatch(/\bOrigin\b/);
  });

  it('ignores GET from other origin', async () => {
    const response = await withCors.client(tenant.testKey).get('/v1/visits', { origin: OTHER_ORIGIN });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-expose-headers')).toBeNull();
  });

  it('ignores preflight from other origin', async () => {
    const response = await preflight(withCors.url, OTHER_ORIGIN);

    expect(response.status).not.toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
  });
});

describe('request timeout', () => {
  const TIMEOUT_MS = 300;
  let seeding: TestServer;
  let slow: TestServer;
  let tenant: TestTenant;

  beforeAll(async () => {
    // The tenant is seeded through a server with the default timeout, because a server's first
    // requests may take longer than TIMEOUT_MS while the contract validator compiles its schemas.
    seeding = await startTestServer();
    slow = await startTestServer({ config: { requestTimeoutMs: TIMEOUT_MS } });
    tenant = await makeTenant(seeding.runtime.db, 'request timeout');
    await seedReferenceDirectory(seeding.client(tenant.testKey));
  });

  afterAll(async () => {
    await seeding?.close();
    await slow?.close();
  });

  async function countVisits(): Promise<number> {
    const row = await seeding.runtime.db
      .selectFrom('visits')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenant.tenantId)
      .executeTakeFirstOrThrow();
    return row.n;
  }

  // The timeout middleware starts its timer before express.json reads the body, so a body that
  // stops halfway keeps the request running until the timer sends the 503.
  it('answers 503 for stalled body', async () => {
    const port = Number(new URL(slow.url).port);
    const body = Buffer.from(JSON.stringify(REFERENCE_VISITOR_VISIT));
    const socket = await connectRaw(port);
    socket.on('error', () => {});
    const started = Date.now();
    socket.write(partialVisitRequest(port, tenant.testKey, body, Math.floor(body.length / 2)));

    const response = await readRawResponse(socket);
    const elapsedMs = Date.now() - started;
    const problem = JSON.parse(response.body);
    socket.write(body.subarray(Math.floor(body.length / 2)));
    await delay(500);
    socket.destroy();

    expect(response.status).toBe(503);
    expect(() => assertMatchesContract('POST', '/v1/visits', response.status, response.headers['content-type'] ?? '', problem)).not.toThrow();
    expect(problem.type).toBe('urn:visitorflow:problem:timeout');
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(elapsedMs).toBeLessThan(TIMEOUT_MS + 2_000);
    // The rest of the body arrived after the 503, and the request it completed did not run.
    expect(await countVisits()).toBe(0);
  });
});

describe('graceful shutdown', () => {
  let child: ChildProcess | undefined;
  let output = '';
  let dataDir: string;
  let databaseName: string;
  let socket: Socket | undefined;

  afterAll(async () => {
    socket?.destroy();
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    if (databaseName) {
      const admin = new pg.Client({ connectionString: inject('databaseUrl') });
      await admin.connect();
      await admin.query(`drop database if exists "${databaseName}" with (force)`);
      await admin.end();
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** Waits until the child's output contains `text`, failing early when it exits. */
  async function waitForOutput(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!output.includes(text)) {
      if (child?.exitCode !== null) throw new Error(`The server exited with ${child?.exitCode} before logging "${text}":\n${output}`);
      if (Date.now() > deadline) throw new Error(`The server did not log "${text}" within ${timeoutMs} ms:\n${output}`);
      await delay(50);
    }
  }

  it('finishes in-flight request on SIGTERM', { timeout: 120_000 }, async () => {
    // The child gets a database of its own on the run's PostgreSQL server. It runs the background
    // worker too, which would otherwise take email jobs queued by other test files.
    databaseName = `visitorflow_shutdown_${Date.now()}_${randomBytes(3).toString('hex')}`;
    const runUrl = inject('databaseUrl');
    await createDatabaseIfMissing(runUrl, databaseName);
    const databaseUrl = new URL(runUrl);
    databaseUrl.pathname = `/${databaseName}`;

    const handle = openDatabase(databaseUrl.toString(), log);
    await migrateToLatest(handle.db, handle.pool, log);
    const { tenant, keys } = await createTenant(handle.db, 'graceful shutdown');
    const scope = { tenant_id: tenant.id, mode: 'test' as const, created_at: new Date(), updated_at: new Date() };
    await handle.db.insertInto('locations').values({ ...scope, id: 'loc_mty_01', name: 'Monterrey Plant 1', address: null, timezone: 'America/Monterrey', locale: 'es-MX' }).execute();
    await handle.db.insertInto('hosts').values({ ...scope, id: 'h_98412', location_id: 'loc_mty_01', name: 'Laura Garza', search_name: 'laura garza', email: 'laura.garza@acme.com', phone: null }).execute();

    dataDir = await mkdtemp(join(tmpdir(), 'visitorflow-shutdown-'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl.toString(), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', VISITORFLOW_DATA_DIR: dataDir };
    delete env.SMTP_URL;
    delete env.REDIS_URL;
    child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    await waitForOutput('VisitorFlow API listening', 60_000);

    const body = Buffer.from(JSON.stringify(REFERENCE_VISITOR_VISIT));
    const half = Math.floor(body.length / 2);
    socket = await connectRaw(port);
    socket.write(partialVisitRequest(port, keys.test.secret, body, half));
    await delay(200);

    child.kill('SIGTERM');
    await waitForOutput('shutting down', 5_000);
    await delay(300);
    const newConnection = await connectionErrorCode(port);

    const pending = readRawResponse(socket, 10_000);
    socket.write(body.subarray(half));
    const response = await pending;
    const visit = JSON.parse(response.body);

    const exitCode = await Promise.race([exited, delay(15_000).then(() => 'still running after 15 s')]);
    const stored = await handle.db.selectFrom('visits').select('id').where('tenant_id', '=', tenant.id).execute();
    await handle.destroy();

    expect(newConnection).toBe('ECONNREFUSED');
    expect(response.status).toBe(201);
    expect(() => assertMatchesContract('POST', '/v1/visits', response.status, response.headers['content-type'] ?? '', visit)).not.toThrow();
    expect(stored.map((row) => row.id)).toEqual([visit.id]);
    expect(exitCode).toBe(0);
    expect(output).toContain('"msg":"stopped"');
  });
});
