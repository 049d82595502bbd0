import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { REPO_ROOT } from '../server/src/config';
import type { ApiClient } from './support/client';
import { startReceiver, type WebhookReceiver } from './support/receiver';
import { startTestServer, type TestServer } from './support/server';
import { makeTenant } from './support/tenants';
import { createEndpoint, eventually } from './support/webhooks';

const VISITORFLOW_BIN = join(REPO_ROOT, 'node_modules/.bin/visitorflow');

let server: TestServer;
let receiver: WebhookReceiver;
let api: ApiClient;
const workers: ChildProcess[] = [];

/** Starts `npx visitorflow worker` as its own process and waits until it takes jobs. */
async function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [VISITORFLOW_BIN, 'worker'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      ALLOW_PRIVATE_WEBHOOK_URLS: 'true',
      // Only webhook deliveries: other test files wait for their own email jobs.
      WORKER_TASKS: 'deliver_webhook',
      // A short attempt timeout, so a killed worker's delivery is taken over within seconds.
      WEBHOOK_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workers.push(child);

  let output = '';
  const started = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('background worker started')) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code, signal) => reject(new Error(`The worker exited early (${code ?? signal}):\n${output}`)));
  });
  await started;
  return child;
}

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startTestServer();
  const tenant = await makeTenant(server.runtime.db, 'webhook crash');
  api = server.client(tenant.testKey);
});

afterAll(async () => {
  for (const child of workers) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
  await server?.close();
  await receiver?.close();
});

describe('worker killed mid-delivery', () => {
  it('still delivers every event', async () => {
    const endpoint = await createEndpoint(api, { url: `${receiver.url}?crash`, event_types: ['incident.created'] });
    const mine = (request: { path: string }) => request.path.endsWith('?crash');
    let holding = true;
    receiver.reply = (request) => (mine(request) && holding ? 'hold' : { status: 200 });
    const first = await startWorkerProcess();

    const incidentIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const incident = await api.post('/v1/incidents', { type: 'tailgating', severity: 'low', summary: `Crash test ${i}` });
      incidentIds.push(incident.body.id);
    }
    await receiver.waitFor(mine);
    first.kill('SIGKILL');
    const [, signal] = (await once(first, 'exit')) as [number | null, NodeJS.Signals | null];

    // The killed worker's open requests lose their connection; other workers' requests stay open.
    const abandoned = await eventually(async () => {
      const found = receiver.requests.filter((request) => mine(request) && request.abandoned);
      return found.length > 0 ? found : undefined;
    }, 'a request abandoned by the killed worker', 5000);
    holding = false;
    receiver.releaseHeld(200);
    await startWorkerProcess();

    const deliveries = await eventually(async () => {
      const rows = await server.runtime.db
        .selectFrom('webhook_deliveries')
        .select(['event_id', 'status', 'attempts'])
        .where('endpoint_id', '=', endpoint.id)
        .execute();
      return rows.length === 5 && rows.every((row) => row.status === 'succeeded') ? rows : undefined;
    }, 'all five deliveries to succeed', 45_000).catch(async (error: Error) => {
      // The state of each delivery and its jobs shows which step a stuck delivery stopped at.
      const rows = await server.runtime.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpoint.id).execute();
      const jobs = await sql`select key, run_at, locked_at, locked_by, attempts from graphile_worker._private_jobs
        where payload->>'delivery_id' = any(${rows.map((row) => row.id)})`.execute(server.runtime.db);
      throw new Error(`${error.message}\n${JSON.stringify({ deliveries: rows, jobs: jobs.rows }, null, 1)}`);
    });
    const delivered = receiver.requests.filter((request) => mine(request) && !request.abandoned);

    expect(signal).toBe('SIGKILL');
    expect(deliveries).toHaveLength(5);
    expect(new Set(delivered.map((request) => request.body.data.object.id))).toEqual(new Set(incidentIds));
    for (const request of abandoned) {
      expect(delivered.some((later) => later.body.id === request.body.id && later.receivedAt > request.receivedAt)).toBe(true);
    }
  }, 90_000);
});
