import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, describe, expect, it } from 'vitest';

import { REPO_ROOT } from '../server/src/config';

const run = promisify(execFile);
let output: string | undefined;

afterAll(async () => {
  if (output) await rm(output, { recursive: true, force: true });
});

// A bounded run of `npm run bench` (small data, one-second loads) to keep the harness working;
// it checks the report's shape, never a timing.
describe('npm run bench', () => {
  it('writes the results table with ratios', { timeout: 180_000 }, async () => {
    output = await mkdtemp(join(tmpdir(), 'visitorflow-bench-'));
    const env: NodeJS.ProcessEnv = { ...process.env };
    // The harness needs a server it can create databases on; the embedded test server is not kept running for it.
    if (!env.DATABASE_URL) env.DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

    await run(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--visits', '2000', '--duration', '1', '--warmup', '0', '--connections', '2', '--output', output], {
      cwd: REPO_ROOT,
      env,
      timeout: 170_000,
    });
    const report = await readFile(join(output, 'latest.md'), 'utf8');
    const rows = report.split('\n').filter((line) => /^\| (create|list|get|rejected)/.test(line));

    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row).toMatch(/\| \d+\.\d\d× \| \d+\.\d\d× \|/);
    expect(report).toMatch(/Deep page \/ first page, mean latency: \d+\.\d\d×/);
    expect(report).toMatch(/\d+ cores/);
  });
});
