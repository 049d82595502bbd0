import { execFile } from 'node:child_process';
import { join } from 'node:path';

import { describe, expect, inject, it } from 'vitest';

const REPO_ROOT = join(import.meta.dirname, '..');
const SCRIPT = join(REPO_ROOT, 'scripts/python-checks.sh');

interface StepRun {
  code: number;
  output: string;
}

/**
 * Runs one step of scripts/python-checks.sh. The end-to-end tests in it start their server
 * against this run's database, which global setup created and migrated.
 */
function runStep(step: string, timeoutMs: number): Promise<StepRun> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [SCRIPT, step],
      {
        cwd: REPO_ROOT,
        timeout: timeoutMs,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, VISITORFLOW_E2E_DATABASE_URL: inject('databaseUrl') },
      },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error === null) return resolve({ code: 0, output });
        // A timeout or a failure to spawn has no numeric exit code; report it as such.
        if (typeof error.code !== 'number') return reject(new Error(`${step} did not finish: ${error.message}\n${output}`));
        resolve({ code: error.code, output });
      },
    );
  });
}

// The steps share one venv, so they run in order: setup installs what the others use.
describe.sequential('Python SDK checks', () => {
  for (const [step, timeoutMs] of [
    ['setup', 120_000],
    ['lint', 60_000],
    ['types', 120_000],
    ['tests', 180_000],
    ['wheel', 120_000],
  ] as const) {
    it(`passes ${step}`, { timeout: timeoutMs + 5_000 }, async () => {
      const run = await runStep(step, timeoutMs);
      expect(run.code, run.output).toBe(0);
    });
  }
});
