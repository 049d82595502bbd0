import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { renderAll } from '../../generator/src/outputs';
import { parseModel } from '../../generator/src/parse';

const REPO_ROOT = join(import.meta.dirname, '../..');

/** A spec with one operation whose request and response bodies have required fields. */
const SPEC = `openapi: 3.1.0
info:
  title: Typecheck
  version: 1.0.0
security:
  - apiKey: []
paths:
  /v1/projects/{projectId}/things:
    parameters:
      - name: projectId
        in: path
        required: true
        schema: { type: string }
    post:
      operationId: createThing
      tags: [Things]
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/NewThing' }
      responses:
        '201':
          description: The new thing.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Thing' }
        '404':
          description: No such project.
          content:
            application/problem+json:
              schema: { type: object }
components:
  securitySchemes:
    apiKey:
      type: http
      scheme: bearer
  schemas:
    NewThing:
      type: object
      required: [name]
      properties:
        name: { type: string }
    Thing:
      type: object
      required: [id, projectId, name]
      properties:
        id: { type: string }
        projectId: { type: string }
        name: { type: string }
`;

/** The same spec with the required response property `name` renamed to `title`. */
const RENAMED_SPEC = SPEC.replace(
  `      required: [id, projectId, name]
      properties:
        id: { type: string }
        projectId: { type: string }
        name: { type: string }`,
  `      required: [id, projectId, title]
      properties:
        id: { type: string }
        projectId: { type: string }
        title: { type: string }`,
);

const HANDLER_PATH = 'server/src/handlers/things/createThing.ts';

/** A handler that matches SPEC: it reads the path parameter, the body and the caller. */
const CORRECT_HANDLER = `import type { Handlers } from '../../generated/operations.gen';

export const createThing: Handlers['createThing'] = async (c) => {
  const keyId: string = c.auth.keyId;
  return { status: 201, body: { id: keyId, projectId: c.params.projectId, name: c.body.name } };
};
`;

const WRONG_BODY_HANDLER = `import type { Handlers } from '../../generated/operations.gen';

export const createThing: Handlers['createThing'] = async () => {
  return { status: 201, body: { wrong: true } };
};
`;

/**
 * Stand-in for server/src/http/operation.ts, which imports the app, database and logger types.
 * It exports the names that operations.gen.ts imports. Its `HandlerContext` keeps `operation`
 * too, because every stub reads `c.operation.id`.
 */
const OPERATION_MODULE = `export interface OperationMeta {
  id: string;
  method: string;
  path: string;
  securitySchemes: readonly string[];
  successStatuses: readonly number[];
}

export interface AuthSchemes {
  apiKey: { kind: 'api_key'; keyId: string };
}

export interface OperationShape {
  params: object;
  query: object;
  body: unknown;
  auth: AuthSchemes[keyof AuthSchemes] | null;
  result: { status: number };
}

export interface HandlerContext<Types extends OperationShape> {
  operation: OperationMeta;
  params: Types['params'];
  query: Types['query'];
  body: Types['body'];
  auth: Types['auth'];
}

export type OperationHandler<Types extends OperationShape> = (c: HandlerContext<Types>) => Promise<Types['result']>;
`;

const PROBLEM_MODULE = `export function notImplemented(operationId: string): Error {
  return new Error(\`Operation \${operationId} has no handler yet.\`);
}
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'ESNext',
    moduleResolution: 'Bundler',
    strict: true,
    noEmit: true,
    types: [],
    // The mini project checks the generated code and handlers, not the express typings.
    skipLibCheck: true,
  },
  include: ['server/src'],
};

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'visitorflow-typecheck-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/**
 * Lays out a mini project in a new folder under the scratch folder: tsconfig, the stand-in HTTP
 * modules, a link to the repository's node_modules so that `express` types resolve, and the
 * generated files of `spec`.
 */
async function createProject(name: string, spec: string): Promise<string> {
  const root = join(scratch, name);
  await mkdir(join(root, 'server/src/http'), { recursive: true });
  await symlink(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  await writeFile(join(root, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
  await writeFile(join(root, 'server/src/http/operation.ts'), OPERATION_MODULE);
  await writeFile(join(root, 'server/src/http/problem.ts'), PROBLEM_MODULE);
  await generate(root, spec);
  return root;
}

/** Writes the owned files of `spec` over the old ones, and a stub only where no handler exists, as `npm run generate` does. */
async function generate(root: string, spec: string): Promise<void> {
  const files = await renderAll(parseModel(spec));
  for (const [path, content] of files.owned) await writeFileIn(root, path, content);
  for (const [path, content] of files.stubs) await writeFileIn(root, path, content, 'wx');
}

async function writeFileIn(root: string, path: string, content: string, flag = 'w'): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  try {
    await writeFile(join(root, path), content, { flag });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

interface Finding {
  file: string;
  message: string;
}

/** Type-checks the mini project with its tsconfig and returns every diagnostic, located by file. */
function typecheck(root: string): Finding[] {
  const configPath = join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const diagnostics = [...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
  return diagnostics.map((diagnostic) => ({
    file: diagnostic.file ? relative(root, diagnostic.file.fileName) : '(no file)',
    message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
  }));
}

describe('generated handler types', () => {
  it('accept generated stubs', async () => {
    const root = await createProject('stubs', SPEC);
    expect(typecheck(root)).toEqual([]);
  });

  it('accept stubs of binary fixture', async () => {
    const spec = await readFile(join(import.meta.dirname, 'fixtures/public-and-binary/openapi.yaml'), 'utf8');
    const root = await createProject('binary-stubs', spec);
    expect(typecheck(root)).toEqual([]);
  });

  it('reject wrong response body', async () => {
    const root = await createProject('wrong-body', SPEC);
    await writeFile(join(root, HANDLER_PATH), WRONG_BODY_HANDLER);
    const inHandler = typecheck(root).filter((finding) => finding.file === HANDLER_PATH);
    expect(inHandler.length).toBeGreaterThan(0);
    expect(inHandler.map((finding) => finding.message).join('\n')).toMatch(/missing the following properties .*: id, projectId, name/);
  });

  it('reject handler after spec change', async () => {
    const root = await createProject('spec-change', SPEC);
    await writeFile(join(root, HANDLER_PATH), CORRECT_HANDLER);
    expect(typecheck(root)).toEqual([]);

    await generate(root, RENAMED_SPEC);
    const findings = typecheck(root);
    expect(findings.filter((finding) => finding.file !== HANDLER_PATH)).toEqual([]);
    expect(findings.filter((finding) => finding.file === HANDLER_PATH).map((finding) => finding.message).join('\n')).toMatch(/'title'/);
  });
});
