import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { GENERATED_FOLDERS, renderAll, type GeneratedFiles } from './outputs';
import { loadModel } from './parse';
import { SpecError } from './problems';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIX_COMMAND = 'npm run generate';

const USAGE = `Usage: npm run generate [-- --check]

Reads openapi.yaml and writes the generated files (server types, handler table, routes,
bundled spec, the Python SDK's types, models and resources) and a 501 stub for every
operation that has no handler yet.

  --check   write nothing; regenerate into a temporary folder and exit 1 when a committed
            generated file differs, is missing, is stale, or a handler is missing
  --help    print this text`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { check: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }

  const model = await loadModel(join(REPO_ROOT, 'openapi.yaml'));
  const files = await renderAll(model);
  return values.check ? check(files) : write(files);
}

async function write(files: GeneratedFiles): Promise<number> {
  let changed = 0;
  for (const [path, content] of files.owned) {
    if (await writeIfChanged(join(REPO_ROOT, path), content)) {
      console.log(`wrote ${path}`);
      changed++;
    }
  }
  for (const path of await staleFiles(files)) {
    await rm(join(REPO_ROOT, path));
    console.log(`removed ${path} (no longer generated)`);
    changed++;
  }
  for (const [path, content] of files.stubs) {
    if (existsSync(join(REPO_ROOT, path))) continue;
    await writeIfChanged(join(REPO_ROOT, path), content);
    console.log(`created handler stub ${path} (answers 501 until you fill it in)`);
    changed++;
  }
  console.log(changed === 0 ? 'generated files are up to date' : `${changed} file(s) changed`);
  return 0;
}

async function check(files: GeneratedFiles): Promise<number> {
  const scratch = await mkdtemp(join(tmpdir(), 'visitorflow-generate-'));
  const problems: string[] = [];
  try {
    for (const [path, content] of files.owned) {
      await writeIfChanged(join(scratch, path), content);
      const committed = await readOptional(join(REPO_ROOT, path));
      if (committed === undefined) problems.push(`missing: ${path}`);
      else if (committed !== (await readFile(join(scratch, path), 'utf8'))) problems.push(`out of date: ${path}`);
    }
    for (const path of await staleFiles(files)) problems.push(`stale (no longer generated): ${path}`);
    for (const path of files.stubs.keys()) {
      if (!existsSync(join(REPO_ROOT, path))) problems.push(`handler missing: ${path}`);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }

  if (problems.length === 0) {
    console.log('generated files match openapi.yaml');
    return 0;
  }
  console.error(`Generated files do not match openapi.yaml:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  console.error(`\nRun \`${FIX_COMMAND}\` and commit the result.`);
  return 1;
}

async function staleFiles(files: GeneratedFiles): Promise<string[]> {
  const stale: string[] = [];
  for (const { folder, isGenerated } of GENERATED_FOLDERS) {
    const absolute = join(REPO_ROOT, folder);
    if (!existsSync(absolute)) continue;
    for (const entry of await readdir(absolute, { recursive: true })) {
      const path = relative(REPO_ROOT, join(absolute, entry));
      if (isGenerated(path) && !files.owned.has(path)) stale.push(path);
    }
  }
  return stale;
}

async function writeIfChanged(path: string, content: string): Promise<boolean> {
  if ((await readOptional(path)) === content) return false;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  return true;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof SpecError) {
      console.error(error.message);
      process.exitCode = 2;
      return;
    }
    throw error;
  },
);
