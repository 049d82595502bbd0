/**
 * The Python SDK emitter: `types.py`, `models.py` and `resources/` under
 * `sdk-python/src/visitorflow/`. The hand-written rest of the package (clients, transport,
 * retries, pagination, errors, webhooks) lives beside them in files the generator never writes.
 */
import type { ApiModel } from '../../model';
import { emitModelsModule, emitResourceModule, emitResourcesIndex, emitTypesModule } from './modules';
import { planSurface } from './surface';

export const PYTHON_PACKAGE_DIR = 'sdk-python/src/visitorflow';

/** Folder the Python emitter owns entirely; any .py file there that is not emitted is stale. */
export const PYTHON_RESOURCES_DIR = `${PYTHON_PACKAGE_DIR}/resources`;

/** Emits every generated file of the Python SDK, keyed by path relative to the repository root. */
export function emitPythonSdk(model: ApiModel): Map<string, string> {
  const surface = planSurface(model);
  const files = new Map<string, string>();
  // Resources first: planning their methods declares the models and types they use.
  for (const group of surface.groups) {
    files.set(`${PYTHON_RESOURCES_DIR}/${group.module}.py`, emitResourceModule(surface, group));
  }
  files.set(`${PYTHON_RESOURCES_DIR}/__init__.py`, emitResourcesIndex(surface));
  files.set(`${PYTHON_PACKAGE_DIR}/models.py`, emitModelsModule(surface));
  files.set(`${PYTHON_PACKAGE_DIR}/types.py`, emitTypesModule(surface));
  return files;
}
