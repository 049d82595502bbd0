import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = join(import.meta.dirname, '../..');
const CLI_TIMEOUT_MS = 60_000;

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npx tsx generator/src/cli.ts --check` in `cwd` and returns its exit code and output. */
async function runCheck(cwd: string): Promise<CliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)('npx', ['tsx', 'generator/src/cli.ts', '--check'], {
      cwd,
      timeout: CLI_TIMEOUT_MS,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: unknown; stdout?: string; stderr?: string };
    // A spawn failure or a timeout has no numeric exit code, so it is rethrown, not reported as a mismatch.
    if (typeof failure.code !== 'number') throw error;
    return { code: failure.code, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

describe('generate --check on committed tree', () => {
  it('exits 0 when up to date', { timeout: CLI_TIMEOUT_MS + 5_000 }, async () => {
    const run = await runCheck(REPO_ROOT);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('generated files match openapi.yaml');
  });
});

// The CLI takes the repository root from its own location, so a copy of the generator in a
// scratch folder checks the copied spec and generated files there, never the real tree.
describe('generate --check on copied tree', { timeout: CLI_TIMEOUT_MS + 5_000 }, () => {
  let scratch: string;
  let copies = 0;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'visitorflow-check-'));
  });

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  /** Copies what `--check` reads into a new folder, with a link to the repository's node_modules. */
  async function copyTree(): Promise<string> {
    const root = join(scratch, `copy-${++copies}`);
    for (const path of ['package.json', 'openapi.yaml', 'generator', 'server/src/generated', 'server/src/handlers', 'sdk-typescript/src/generated', 'sdk-python/src/visitorflow/resources', 'sdk-python/src/visitorflow/models.py', 'sdk-python/src/visitorflow/types.py']) {
      await cp(join(REPO_ROOT, path), join(root, path), { recursive: true });
    }
    await symlink(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
    return root;
  }

  it('exits 0 on unchanged copy', async () => {
    const root = await copyTree();
    const run = await runCheck(root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('generated files match openapi.yaml');
  });

  it('exits 2 on invalid spec', async () => {
    const root = await copyTree();
    const specPath = join(root, 'openapi.yaml');
    await writeFile(specPath, (await readFile(specPath, 'utf8')).replace(/^openapi: .*$/m, 'openapi: 3.0.3'));
    const run = await runCheck(root);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('#/openapi: Expected an OpenAPI 3.1 document, found "3.0.3".');
  });

  // One copy with every kind of drift at once, checked by one CLI run: a new operation in the
  // spec, a deleted generated file and a leftover generated file.
  describe('with drifted copy', () => {
    let run: CliRun;
    let before: Map<string, string>;
    let after: Map<string, string>;

    beforeAll(async () => {
      const root = await copyTree();
      await addOperation(root);
      await unlink(join(root, 'server/src/generated/spec.gen.ts'));
      await writeFile(join(root, 'server/src/generated/removed.gen.ts'), 'export {};\n');
      before = await readTree(root);
      run = await runCheck(root);
      after = await readTree(root);
    }, CLI_TIMEOUT_MS + 5_000);

    it('exits 1 on drift', () => {
      expect(run.code).toBe(1);
    });

    it('reports out-of-date files', () => {
      expect(run.stderr).toContain('out of date: server/src/generated/operations.gen.ts');
      expect(run.stderr).toContain('out of date: server/src/generated/handlers.gen.ts');
    });

    it('reports missing generated file', () => {
      expect(run.stderr).toContain('missing: server/src/generated/spec.gen.ts');
    });

    it('reports stale generated file', () => {
      expect(run.stderr).toContain('stale (no longer generated): server/src/generated/removed.gen.ts');
    });

    it('reports missing handler', () => {
      expect(run.stderr).toContain('handler missing: server/src/handlers/widgets/listWidgets.ts');
    });

    it('prints fix command', () => {
      expect(run.stderr).toContain('Run `npm run generate` and commit the result.');
    });

    it('writes nothing', () => {
      expect(after).toEqual(before);
    });
  });
});

/** Reads every file under `root` except node_modules, to show that a run wrote nothing. */
async function readTree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    if (!entry.isFile() || path.startsWith(join(root, 'node_modules'))) continue;
    files.set(path, await readFile(path, 'utf8'));
  }
  return files;
}

/** Adds `GET /v1/widgets` (operationId listWidgets, tag Widgets) to the spec under `root`. */
async function addOperation(root: string): Promise<void> {
  const specPath = join(root, 'openapi.yaml');
  const spec = await readFile(specPath, 'utf8');
  if (!/^paths:\n/m.test(spec)) throw new Error('openapi.yaml has no top-level "paths:" line to add an operation under');
  const widgets = `paths:
  /v1/widgets:
    get:
      operationId: listWidgets
      tags: [Widgets]
      responses:
        '204':
          description: No widgets.
`;
  await writeFile(specPath, spec.replace(/^paths:\n/m, widgets));
}
