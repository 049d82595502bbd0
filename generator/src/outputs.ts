import { emitHandlerStub, emitHandlerTable, handlerModulePath } from './emit/handlers';
import { emitSdkClient, SDK_GENERATED_FOLDER } from './emit/sdk-client';
import { emitSdkResources, SDK_RESOURCES_PATH } from './emit/sdk-resources';
import { emitPythonSdk, PYTHON_RESOURCES_DIR } from './emit/python/index';
import { emitServerOperations } from './emit/server-operations';
import { emitServerSpec } from './emit/server-spec';
import { emitServerTypes } from './emit/server-types';
import type { ApiModel } from './model';
import { SpecError } from './problems';

/**
 * Folders that hold only generated files, with the files that count as generated there; such
 * a file that is no longer emitted is stale.
 */
export const GENERATED_FOLDERS: { folder: string; isGenerated: (path: string) => boolean }[] = [
  { folder: 'server/src/generated', isGenerated: (path) => path.includes('.gen.') },
  { folder: SDK_GENERATED_FOLDER, isGenerated: (path) => path.includes('.gen.') },
  { folder: PYTHON_RESOURCES_DIR, isGenerated: (path) => path.endsWith('.py') },
];

export const HANDLERS_FOLDER = 'server/src/handlers';

export interface GeneratedFiles {
  /** Files the generator owns, keyed by path relative to the repository root. */
  owned: Map<string, string>;
  /** Handler stubs, written only where no hand-written handler exists yet. */
  stubs: Map<string, string>;
}

/** Runs every emitter over the model and returns the files they produce, nothing written yet. */
export async function renderAll(model: ApiModel): Promise<GeneratedFiles> {
  const owned = new Map<string, string>([
    ['server/src/generated/openapi-types.gen.ts', await emitTypesOrReport(model)],
    ['server/src/generated/operations.gen.ts', emitServerOperations(model)],
    ['server/src/generated/handlers.gen.ts', emitHandlerTable(model)],
    ['server/src/generated/spec.gen.ts', emitServerSpec(model)],
    [SDK_RESOURCES_PATH, emitSdkResources(model)],
    ...(await emitSdkClientOrReport(model)),
    ...emitPythonSdk(model),
  ]);

  const stubs = new Map<string, string>();
  for (const operation of model.operations) {
    stubs.set(`${HANDLERS_FOLDER}/${handlerModulePath(operation)}.ts`, emitHandlerStub(operation));
  }
  return { owned, stubs };
}

/** Runs openapi-typescript, turning its complaints about the spec into a SpecError like our own. */
async function emitTypesOrReport(model: ApiModel): Promise<string> {
  try {
    return await emitServerTypes(model);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SpecError([{ path: '#', message: `openapi-typescript rejected the spec: ${message}` }]);
  }
}

/** Runs @hey-api/openapi-ts, turning its complaints about the spec into a SpecError like our own. */
async function emitSdkClientOrReport(model: ApiModel): Promise<Map<string, string>> {
  try {
    return await emitSdkClient(model);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SpecError([{ path: '#', message: `@hey-api/openapi-ts rejected the spec: ${message}` }]);
  }
}
