import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

import { openApiDocument } from '../../server/src/generated/spec.gen';

type Json = { [key: string]: unknown };

const DOCUMENT_ID = 'visitorflow-openapi';
// Statuses any route may return without listing them, always as a problem document.
const GENERIC_STATUSES = new Set([404, 405, 413, 415]);

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(openApiDocument as Json, DOCUMENT_ID);

const compiled = new Map<string, ValidateFunction>();

/**
 * Checks one response against openapi.yaml: its status must be documented for the operation
 * (or be one of the generic error statuses), and its JSON body must match the schema of that
 * status and media type. Throws with every mismatch; returns quietly when the response fits.
 */
export function assertMatchesContract(method: string, path: string, status: number, contentType: string, body: unknown): void {
  const where = `${method.toUpperCase()} ${path} → ${status}`;
  const mediaType = contentType.split(';')[0]?.trim() ?? '';
  const found = findOperation(method.toLowerCase(), path);

  if (!found) {
    if (status === 404 || status === 405) return assertSchema(where, '/components/schemas/Problem', body);
    throw new Error(`${where}: no operation in openapi.yaml matches this route.`);
  }

  const responses = found.operation.responses as Json;
  const key = String(status) in responses ? String(status) : 'default';
  const response = resolve(responses[key], `${found.pointer}/responses/${key}`);
  if (!response) {
    if (GENERIC_STATUSES.has(status)) return assertSchema(where, '/components/schemas/Problem', body);
    throw new Error(`${where}: status ${status} is not documented for ${String(found.operation.operationId)}.`);
  }

  const content = (response.value.content ?? {}) as Json;
  if (Object.keys(content).length === 0) return;
  if (!(mediaType in content)) {
    throw new Error(`${where}: content type "${mediaType}" is not documented (expected ${Object.keys(content).join(', ')}).`);
  }
  if (mediaType.endsWith('json')) {
    assertSchema(where, `${response.pointer}/content/${mediaType.replaceAll('/', '~1')}/schema`, body);
  }
}

function assertSchema(where: string, pointer: string, body: unknown): void {
  let validate = compiled.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` });
    compiled.set(pointer, validate);
  }
  if (!validate(body)) {
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new Error(`${where}: body does not match openapi.yaml (${pointer}): ${errors}\n${JSON.stringify(body)}`);
  }
}

function findOperation(method: string, path: string): { operation: Json; pointer: string } | undefined {
  const paths = openApiDocument.paths as Json;
  for (const [template, item] of Object.entries(paths)) {
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`);
    if (!pattern.test(path)) continue;
    const operation = (item as Json)[method];
    if (operation) return { operation: operation as Json, pointer: `/paths/${template.replaceAll('~', '~0').replaceAll('/', '~1')}/${method}` };
  }
  return undefined;
}

/** Follows a `$ref` to a response object, keeping the JSON pointer of where it lives. */
function resolve(value: unknown, inlinePointer: string): { pointer: string; value: Json } | undefined {
  if (!value) return undefined;
  let current = value as Json;
  let pointer = inlinePointer;
  while (typeof current.$ref === 'string') {
    pointer = current.$ref.slice(1);
    current = lookup(pointer);
  }
  return { pointer, value: current };
}

function lookup(pointer: string): Json {
  let node: unknown = openApiDocument;
  for (const segment of pointer.slice(1).split('/')) node = (node as Json)[segment.replaceAll('~1', '/').replaceAll('~0', '~')];
  return node as Json;
}
