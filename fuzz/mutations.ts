import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

import type { JsonSchema } from '../generator/src/model';
import type { ConcreteRequest } from './materialize';
import type { FuzzSpec } from './spec';
import { typeOf } from './values';
import { isObject } from './world';

/** One way to change a request, with the statuses that are correct for it. */
export interface Mutation {
  description: string;
  request: ConcreteRequest;
  /** For invalid mutations: the acceptable statuses. Edge mutations keep the valid expectation and also allow 400. */
  expected: number[];
}

const SPEC_ID = 'fuzz-spec';
// Over the default JSON body limit (100 KiB) and the photo limit (2 MB).
const HUGE_BYTES = 200 * 1024;
const HUGE_IMAGE_BYTES = 3 * 1024 * 1024;

// Values that break some schema; each candidate is kept only where the schema rejects it.
const BAD_VALUES: unknown[] = [{}, [1], 'bogus', '', ' ', 1.5, -1, 0, 1e308, -1e308, 2 ** 53 + 1, 'not-an-email', '2026-13-45T99:00:00Z', '+275760-09-13T00:00:00Z', 'yesterday', 'bad id!', 'a\u0000b', true, null];
const BAD_PARAMETERS = ['', 'bogus', '-1', '0', '1.5', '1e400', '101', '99999999999999999999', 'maybe', 'yesterday', '2026-13-45T99:00:00Z', '+275760-09-13T00:00:00Z', 'bad id!', '\u0000', 'ü'.repeat(3), 'x'.repeat(600)];
// No '.' or '..': URL resolution removes those segments before the request is sent.
const BAD_PATH_VALUES = ['bad id', 'x', '\u0000', 'ü', '%', 'a'.repeat(300), 'loc_ü', 'vis_a-b', 'h_a b'];

// Schema-valid values that servers often get wrong: NUL bytes, lone surrogates, joiners, direction overrides, SQL and LIKE syntax.
const EDGE_STRINGS = ['a\u0000b', '\u0000', 'a\ud800b', '👩‍👩‍👧‍👦', '\u202eevil\u202c', 'e\u0301', '\u200b', '\ufeffBOM', ' ', "'; select 1; --", '%_\\', 'Ｆｕｌｌ', 'ǅ𝔘𝔫𝔦'];
const EDGE_DATES = ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '1900-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2026-05-02T15:00:00+14:00', '2026-05-02T15:00:00.123456789Z', '1970-01-01T00:00:00Z'];

/** Validates values the way the server's contract validator does (types are coerced). */
export class SchemaCheck {
  readonly #ajv = new Ajv2020({ strict: false, coerceTypes: true, allErrors: false });
  readonly #compiled = new Map<JsonSchema, ValidateFunction>();

  constructor(readonly spec: FuzzSpec) {
    addFormats.default(this.#ajv);
    this.#ajv.addSchema(spec.model.document, SPEC_ID);
  }

  isValid(schema: JsonSchema, value: unknown): boolean {
    let validate = this.#compiled.get(schema);
    if (!validate) {
      validate = this.#ajv.compile(rebase(schema) as JsonSchema);
      this.#compiled.set(schema, validate);
    }
    // Coercion changes the data in place.
    return validate(structuredClone(value));
  }
}

/** Lists every single change that makes `request` invalid, each checked against the schema. */
export function invalidMutations(check: SchemaCheck, request: ConcreteRequest): Mutation[] {
  const mutations: Mutation[] = [];
  const { operation } = request;
  const add = (description: string, change: Partial<ConcreteRequest>, expected = [400]) => mutations.push({ description, request: { ...request, ...change }, expected });

  // Query: an unknown parameter, a duplicated one, and values the parameter's schema rejects.
  add('unknown query parameter', { query: [...request.query, ['fuzz_unknown', '1']] });
  for (const parameter of operation.model.parameters) {
    if (parameter.in === 'query') {
      const present = request.query.find(([name]) => name === parameter.name);
      if (present) add(`duplicated query parameter ${parameter.name}`, { query: [...request.query, present] });
      for (const bad of BAD_PARAMETERS) {
        if (check.isValid(parameter.schema, bad)) continue;
        add(`query ${parameter.name}=${JSON.stringify(bad).slice(0, 40)}`, { query: [...request.query.filter(([name]) => name !== parameter.name), [parameter.name, bad]] });
      }
      if (parameter.required) add(`missing required query ${parameter.name}`, { query: request.query.filter(([name]) => name !== parameter.name) });
    }
    if (parameter.in === 'path') {
      for (const bad of BAD_PATH_VALUES) {
        if (check.isValid(parameter.schema, bad)) continue;
        add(`path ${parameter.name}=${JSON.stringify(bad).slice(0, 40)}`, { pathParams: { ...request.pathParams, [parameter.name]: bad } }, [400, 404]);
      }
    }
  }

  const mediaTypes = Object.keys(operation.bodySchemas);
  if (mediaTypes.length === 0 || !request.body) return mutations;
  const required = operation.model.requestBody?.required === true;
  if (required) add('no body', { body: undefined }, [400, 415]);
  add('unsupported content type', { body: { contentType: 'text/plain', raw: 'name=fuzz' } }, [400, 415]);

  if (request.body.bytes) {
    add('huge image', { body: { contentType: request.body.contentType, bytes: new Uint8Array(HUGE_IMAGE_BYTES) } }, [413]);
    // The contract rejects content that does not match its declared image type with 415.
    add('image bytes that are not an image', { body: { contentType: request.body.contentType, bytes: new TextEncoder().encode('not an image at all') } }, [400, 415]);
    add('empty image', { body: { contentType: request.body.contentType, bytes: new Uint8Array() } }, [400, 415]);
    add('JSON sent to an image upload', { body: { contentType: 'application/json', raw: '{"photo":"x"}' } }, [400, 415]);
    return mutations;
  }

  add('huge body', { body: { contentType: request.body.contentType, raw: JSON.stringify({ name: 'x'.repeat(HUGE_BYTES) }) } }, [413]);
  const schema = operation.bodySchemas[request.body.contentType];
  if (!schema) return mutations;
  add('malformed JSON', { body: { contentType: request.body.contentType, raw: '{"name": ' } });
  for (const wrong of [[], 'text', 42, {}]) {
    if (!check.isValid(schema, wrong)) add(`body ${JSON.stringify(wrong)}`, { body: { contentType: request.body.contentType, json: wrong } });
  }
  for (const { description, value } of bodyChanges(check, schema, request.body.json)) {
    if (!check.isValid(schema, value)) add(description, { body: { contentType: request.body.contentType, json: value } });
  }
  return mutations;
}

/** Schema-valid changes with hard values (edge strings and dates) in one field or parameter. */
export function edgeMutations(check: SchemaCheck, request: ConcreteRequest): Mutation[] {
  const mutations: Mutation[] = [];
  const { operation } = request;
  for (const parameter of operation.model.parameters) {
    if (parameter.in !== 'query') continue;
    const schema = check.spec.deref(parameter.schema);
    const candidates = schema.format === 'date-time' ? EDGE_DATES : isFreeText(schema) ? EDGE_STRINGS : [];
    for (const value of candidates) {
      // A lone surrogate has no UTF-8 form, so it cannot be sent in a URL.
      if (/\p{Cs}/u.test(value) || !check.isValid(parameter.schema, value)) continue;
      mutations.push({ description: `query ${parameter.name}=${JSON.stringify(value)}`, request: { ...request, query: [...request.query.filter(([name]) => name !== parameter.name), [parameter.name, value]] }, expected: [] });
    }
  }

  const schema = request.body?.json !== undefined ? operation.bodySchemas[request.body.contentType] : undefined;
  if (!schema || !request.body) return mutations;
  for (const { path, leaf } of leaves(check, schema, request.body.json, [])) {
    const resolved = check.spec.deref(leaf);
    const maxLength = typeof resolved.maxLength === 'number' ? resolved.maxLength : 200;
    const candidates = resolved.format === 'date-time' ? EDGE_DATES : isFreeText(resolved) ? [...EDGE_STRINGS, 'x'.repeat(maxLength), '€'.repeat(Math.min(maxLength, 2000))] : [];
    for (const candidate of candidates) {
      const value = setAt(request.body.json, path, candidate);
      if (!check.isValid(schema, value)) continue;
      mutations.push({ description: `${path.join('.')}=${JSON.stringify(candidate).slice(0, 40)}`, request: { ...request, body: { ...request.body, json: value } }, expected: [] });
    }
  }
  return mutations;
}

function bodyChanges(check: SchemaCheck, schema: JsonSchema, body: unknown): { description: string; value: unknown }[] {
  const changes: { description: string; value: unknown }[] = [];
  const visit = (node: JsonSchema, value: unknown, path: string[]) => {
    const resolved = branchFor(check, node, value);
    if (isObject(value) && typeOf(resolved) === 'object') {
      const properties = (resolved.properties ?? {}) as Record<string, JsonSchema>;
      for (const name of (resolved.required ?? []) as string[]) {
        if (name in value) changes.push({ description: `missing required ${[...path, name].join('.')}`, value: removeAt(body, [...path, name]) });
      }
      changes.push({ description: `extra field ${[...path, 'fuzz_extra'].join('.')}`, value: setAt(body, [...path, 'fuzz_extra'], 1) });
      for (const [name, child] of Object.entries(value)) {
        if (properties[name]) visit(properties[name], child, [...path, name]);
      }
      return;
    }
    const resolvedLeaf = check.spec.deref(resolved);
    const tooLong = typeof resolvedLeaf.maxLength === 'number' && resolvedLeaf.maxLength < 60_000 ? ['x'.repeat(resolvedLeaf.maxLength + 1)] : [];
    for (const bad of [...BAD_VALUES, ...tooLong]) changes.push({ description: `${path.join('.') || 'body'}=${JSON.stringify(bad).slice(0, 40)}`, value: setAt(body, path, bad) });
  };
  visit(schema, body, []);
  return changes;
}

function leaves(check: SchemaCheck, schema: JsonSchema, value: unknown, path: string[]): { path: string[]; leaf: JsonSchema }[] {
  const resolved = branchFor(check, schema, value);
  if (!isObject(value)) return typeof value === 'string' ? [{ path, leaf: resolved }] : [];
  const properties = (resolved.properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(value).flatMap(([name, child]) => (properties[name] ? leaves(check, properties[name], child, [...path, name]) : []));
}

/** Picks the schema to descend into: for oneOf and anyOf the branch the value matches, for allOf the merged properties. */
function branchFor(check: SchemaCheck, schema: JsonSchema, value: unknown): JsonSchema {
  const resolved = check.spec.deref(schema);
  const branches = (resolved.oneOf ?? resolved.anyOf) as JsonSchema[] | undefined;
  if (branches) return check.spec.deref(branches.find((branch) => check.isValid(branch, value)) ?? branches[0] ?? {});
  if (Array.isArray(resolved.allOf)) {
    const parts = (resolved.allOf as JsonSchema[]).map((part) => check.spec.deref(part));
    return { type: 'object', properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})), required: parts.flatMap((p) => (p.required ?? []) as string[]) };
  }
  return resolved;
}

function isFreeText(schema: JsonSchema): boolean {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.includes('string') && schema.pattern === undefined && schema.format === undefined && schema.enum === undefined && schema.const === undefined;
}

function setAt(root: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path.at(-1)!] = value;
  return copy;
}

function removeAt(root: unknown, path: string[]): unknown {
  const copy = structuredClone(root) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  delete node[path.at(-1)!];
  return copy;
}

/** Points local `$ref`s at the spec registered with Ajv. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (!isObject(schema)) return schema;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `${SPEC_ID}${value}` : rebase(value);
  return copy;
}
