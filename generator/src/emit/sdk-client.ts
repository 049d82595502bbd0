import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { createClient } from '@hey-api/openapi-ts';

import type { ApiModel } from '../model';
import { generatedHeader } from './header';

/** The folder of the SDK's generated files, relative to the repository root. */
export const SDK_GENERATED_FOLDER = 'sdk-typescript/src/generated';

/**
 * Runs @hey-api/openapi-ts (types, SDK functions and its fetch client) into a temporary folder
 * and returns every file it wrote, keyed by repository path, with our header on top. The
 * options are all spelled out, and no tsconfig is read, so the output depends only on the spec
 * and the pinned hey-api version.
 */
export async function emitSdkClient(model: ApiModel): Promise<Map<string, string>> {
  const scratch = await mkdtemp(join(tmpdir(), 'visitorflow-hey-api-'));
  try {
    await createClient({
      // hey-api resolves and annotates the document in place, so it gets a copy.
      input: structuredClone(model.document),
      output: {
        path: scratch,
        clean: true,
        entryFile: false,
        tsConfigPath: null,
        module: { extension: '.js' },
        header: [...generatedHeader('//').trimEnd().split('\n'), '// The code is the output of @hey-api/openapi-ts, run by generator/src/emit/sdk-client.ts.'],
      },
      plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
      logs: { level: 'silent', file: false },
    });
    return await readTree(scratch);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function readTree(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const paths = entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
  for (const path of paths.sort()) {
    files.set(`${SDK_GENERATED_FOLDER}/${path.split('\\').join('/')}`, await readFile(join(root, path), 'utf8'));
  }
  return files;
}
