import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { REPO_ROOT } from '../server/src/config';
import { ApiClient } from './support/client';
import { REFERENCE_VISITOR_VISIT } from './support/tenants';

// What `npm start` runs, started directly so a SIGKILL reaches the server process itself.
const START_COMMAND = ['--import', 'tsx', 'server/src/main.ts'];

interface Started {
  child: ChildProcess;
  output: () => string;
}

const children: ChildProcess[] = [];
let dataDir: string;

/** Starts the server with the embedded database (no DATABASE_URL) and waits until it listens. */
async function start(port: number, postgresPort: number): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), EMBEDDED_POSTGRES_PORT: String(postgresPort), VISITORFLOW_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.SMTP_URL;
  const child = spawn(process.execPath, START_COMMAND, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const deadline = Date.now() + 90_000;
  while (!output.includes('VisitorFlow API listening')) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not listen within 90 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { child, output: () => output };
}

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('npm start with the embedded database', () => {
  it('survives a killed process with its data', { timeout: 240_000 }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'visitorflow-start-'));
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const postgresPort = port + 1;

    const first = await start(port, postgresPort);
    const key = /export VISITORFLOW_API_KEY=(vfp_test_\w+)/.exec(first.output())?.[1];
    expect(key).toBeDefined();
    const api = new ApiClient(`http://127.0.0.1:${port}`, key);
    const visit = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);
    expect(visit.status).toBe(201);

    // A SIGKILL leaves the embedded PostgreSQL running without its parent.
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const second = await start(port, postgresPort);
    const again = await api.get(`/v1/visits/${visit.body.id}`);

    expect(second.output()).toContain('left running by a process that exited');
    expect(second.output()).not.toContain('VISITORFLOW_API_KEY=');
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(visit.body.id);

    second.child.kill('SIGTERM');
    const code = await new Promise((resolve) => second.child.once('exit', resolve));
    expect(code).toBe(0);
  });
});
