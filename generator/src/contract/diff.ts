import type { ApiModel, JsonSchema, OperationModel } from '../model';
import { branchesOf, isObject, objectShape, Resolver, typeCovered, typesOf } from './schema-walk';

/** `breaking` fails the gate; `additive` is listed as the changelog. */
export type Severity = 'breaking' | 'additive';

export interface Finding {
  severity: Severity;
  /** A stable rule name, such as `response-field-removed`. */
  rule: string;
  /** JSON path of the change in the spec, such as `$.paths["/v1/visits"].post.responses.201.id`. */
  path: string;
  message: string;
}

// Numeric bounds that narrow the accepted input when they get stricter.
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;
const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;

/**
 * Compares the released contract with the current one from a client's point of view: a client
 * built against `released` must keep working against `current`. Requests may only accept more
 * than before; responses may only promise more than before.
 */
export function diffContracts(released: ApiModel, current: ApiModel): Finding[] {
  return new ContractDiff(released, current).run();
}

class ContractDiff {
  readonly findings: Finding[] = [];
  readonly #old: { model: ApiModel; resolver: Resolver };
  readonly #new: { model: ApiModel; resolver: Resolver };
  // Pairs of schemas already compared, so recursive schemas terminate.
  readonly #seen = new Set<string>();

  constructor(released: ApiModel, current: ApiModel) {
    this.#old = { model: released, resolver: new Resolver(released.document) };
    this.#new = { model: current, resolver: new Resolver(current.document) };
  }

  run(): Finding[] {
    const key = (operation: OperationModel) => `${operation.method} ${operation.path}`;
    const currentOperations = new Map(this.#new.model.operations.map((operation) => [key(operation), operation]));
    const releasedOperations = new Map(this.#old.model.operations.map((operation) => [key(operation), operation]));
    const currentPaths = new Set(this.#new.model.operations.map((operation) => operation.path));

    for (const [name, released] of releasedOperations) {
      const path = operationPath(released);
      const current = currentOperations.get(name);
      if (!current) {
        if (!currentPaths.has(released.path)) this.#report('breaking', 'path-removed', `$.paths[${JSON.stringify(released.path)}]`, `Path ${released.path} was removed.`);
        else this.#report('breaking', 'operation-removed', path, `${released.method.toUpperCase()} ${released.path} (${released.id}) was removed.`);
        continue;
      }
      this.#compareOperation(released, current, path);
    }
    for (const [name, current] of currentOperations) {
      if (!releasedOperations.has(name)) this.#report('additive', 'operation-added', operationPath(current), `New operation ${current.method.toUpperCase()} ${current.path} (${current.id}).`);
    }
    return this.findings;
  }

  #compareOperation(released: OperationModel, current: OperationModel, path: string): void {
    const before = new Set(released.securitySchemes);
    const after = new Set(current.securitySchemes);
    const lostScheme = [...before].some((scheme) => !after.has(scheme));
    if ((before.size === 0 && after.size > 0) || lostScheme) {
      const describe = (schemes: Set<string>) => (schemes.size === 0 ? 'none (public)' : [...schemes].join(' or '));
      this.#report('breaking', 'security-changed', `${path}.security`, `Authentication changed from ${describe(before)} to ${describe(after)}.`);
    }

    this.#compareParameters(released, current, path);
    this.#compareRequestBody(released, current, path);
    this.#compareResponses(released, current, path);
  }

  #compareParameters(released: OperationModel, current: OperationModel, path: string): void {
    const key = (p: { in: string; name: string }) => `${p.in}:${p.name}`;
    const currentByKey = new Map(current.parameters.map((p) => [key(p), p]));
    const releasedByKey = new Map(released.parameters.map((p) => [key(p), p]));

    for (const [name, before] of releasedByKey) {
      const where = `${path}.parameters[${JSON.stringify(name)}]`;
      const after = currentByKey.get(name);
      if (!after) {
        this.#report('breaking', 'parameter-removed', where, `The ${before.in} parameter "${before.name}" was removed; clients that send it are rejected.`);
        continue;
      }
      if (after.required && !before.required) this.#report('breaking', 'parameter-required', where, `The ${before.in} parameter "${before.name}" became required.`);
      this.#compareInput(before.schema, after.schema, where);
    }
    for (const [name, after] of currentByKey) {
      if (releasedByKey.has(name)) continue;
      const where = `${path}.parameters[${JSON.stringify(name)}]`;
      if (after.required) this.#report('breaking', 'parameter-required', where, `New required ${after.in} parameter "${after.name}".`);
      else this.#report('additive', 'parameter-added', where, `New optional ${after.in} parameter "${after.name}".`);
    }
  }

  #compareRequestBody(released: OperationModel, current: OperationModel, path: string): void {
    const where = `${path}.requestBody`;
    const before = this.#old.resolver.deref(rawOperation(this.#old.model, released).requestBody);
    const after = this.#new.resolver.deref(rawOperation(this.#new.model, current).requestBody);
    if (!after) return;
    if (after.required === true && before?.required !== true) this.#report('breaking', 'request-body-required', where, 'The request body became required.');
    if (!before) return;

    const beforeContent = isObject(before.content) ? before.content : {};
    const afterContent = isObject(after.content) ? after.content : {};
    for (const [mediaType, media] of Object.entries(beforeContent)) {
      const next = afterContent[mediaType];
      if (!isObject(next)) {
        this.#report('breaking', 'request-media-type-removed', `${where}.content[${JSON.stringify(mediaType)}]`, `Request bodies of type ${mediaType} are no longer accepted.`);
        continue;
      }
      if (isObject(media)) this.#compareInput(media.schema, next.schema, where);
    }
  }

  #compareResponses(released: OperationModel, current: OperationModel, path: string): void {
    const beforeResponses = rawOperation(this.#old.model, released).responses;
    const afterResponses = rawOperation(this.#new.model, current).responses;
    if (!isObject(beforeResponses) || !isObject(afterResponses)) return;

    for (const [status, raw] of Object.entries(beforeResponses)) {
      if (!status.startsWith('2')) continue;
      const where = `${path}.responses[${JSON.stringify(status)}]`;
      const before = this.#old.resolver.deref(raw);
      const after = this.#new.resolver.deref(afterResponses[status]);
      if (!after) {
        this.#report('breaking', 'response-status-removed', where, `Success status ${status} is no longer returned.`);
        continue;
      }
      const beforeContent = before && isObject(before.content) ? before.content : {};
      const afterContent = isObject(after.content) ? after.content : {};
      for (const [mediaType, media] of Object.entries(beforeContent)) {
        const next = afterContent[mediaType];
        if (!isObject(next)) {
          this.#report('breaking', 'response-media-type-removed', where, `Status ${status} no longer returns ${mediaType}.`);
          continue;
        }
        if (isObject(media)) this.#compareOutput(media.schema, next.schema, where);
      }
    }
  }

  /** Request side: the current schema must accept everything the released one accepted. */
  #compareInput(beforeRaw: unknown, afterRaw: unknown, path: string): void {
    const before = this.#old.resolver.deref(beforeRaw);
    const after = this.#new.resolver.deref(afterRaw);
    if (!before || !after || this.#alreadySeen('in', beforeRaw, afterRaw, path)) return;

    const beforeBranches = branchesOf(before, this.#old.resolver);
    const afterBranches = branchesOf(after, this.#new.resolver);
    if (beforeBranches && afterBranches) {
      for (const [key, branch] of beforeBranches) {
        const next = afterBranches.get(key);
        if (!next) this.#report('breaking', 'request-variant-removed', `${path}<${key}>`, `The request variant ${key} is no longer accepted.`);
        else this.#compareInput(branch, next, `${path}<${key}>`);
      }
      return;
    }

    const beforeTypes = typesOf(before);
    const afterTypes = typesOf(after);
    if (beforeTypes && afterTypes) {
      const lost = [...beforeTypes].filter((type) => !typeCovered(type, afterTypes));
      if (lost.length > 0) this.#report('breaking', 'request-type-narrowed', path, `No longer accepts ${lost.join(', ')} (now ${[...afterTypes].join(' or ')}).`);
    }
    this.#compareEnumInput(before, after, path);
    for (const keyword of ['format', 'pattern'] as const) {
      if (after[keyword] !== undefined && after[keyword] !== before[keyword]) {
        this.#report('breaking', `request-${keyword}-changed`, path, `The ${keyword} changed from ${JSON.stringify(before[keyword] ?? null)} to ${JSON.stringify(after[keyword])}, which may reject values that were valid.`);
      }
    }
    for (const keyword of UPPER_BOUNDS) {
      const was = before[keyword];
      const now = after[keyword];
      if (typeof now === 'number' && (typeof was !== 'number' || now < was)) {
        this.#report('breaking', `request-${kebab(keyword)}-lowered`, path, `${keyword} lowered from ${was ?? 'none'} to ${now}.`);
      }
    }
    for (const keyword of LOWER_BOUNDS) {
      const was = before[keyword];
      const now = after[keyword];
      if (typeof now === 'number' && (typeof was !== 'number' || now > was)) {
        this.#report('breaking', `request-${kebab(keyword)}-raised`, path, `${keyword} raised from ${was ?? 'none'} to ${now}.`);
      }
    }

    const beforeShape = objectShape(before, this.#old.resolver);
    const afterShape = objectShape(after, this.#new.resolver);
    for (const name of afterShape.required) {
      if (!beforeShape.required.has(name)) this.#report('breaking', 'request-field-required', `${path}.${name}`, `The request field "${name}" became required.`);
    }
    for (const [name, schema] of Object.entries(beforeShape.properties)) {
      const next = afterShape.properties[name];
      if (next === undefined) {
        if (after.additionalProperties === false) this.#report('breaking', 'request-field-removed', `${path}.${name}`, `The request field "${name}" was removed; requests that send it are rejected.`);
        continue;
      }
      this.#compareInput(schema, next, `${path}.${name}`);
    }
    for (const name of Object.keys(afterShape.properties)) {
      if (!(name in beforeShape.properties) && !afterShape.required.has(name)) {
        this.#report('additive', 'request-field-added', `${path}.${name}`, `New optional request field "${name}".`);
      }
    }
    if (before.items !== undefined && after.items !== undefined) this.#compareInput(before.items, after.items, `${path}[]`);
  }

  #compareEnumInput(before: JsonSchema, after: JsonSchema, path: string): void {
    const afterValues = enumValues(after);
    if (!afterValues) return;
    const beforeValues = enumValues(before);
    if (!beforeValues) {
      this.#report('breaking', 'request-enum-narrowed', path, `Now limited to ${[...afterValues].map((v) => JSON.stringify(v)).join(', ')}.`);
      return;
    }
    const removed = [...beforeValues].filter((value) => !afterValues.has(value));
    if (removed.length > 0) this.#report('breaking', 'request-enum-narrowed', path, `No longer accepts ${removed.map((v) => JSON.stringify(v)).join(', ')}.`);
  }

  /** Response side: the current schema must still promise everything the released one promised. */
  #compareOutput(beforeRaw: unknown, afterRaw: unknown, path: string): void {
    const before = this.#old.resolver.deref(beforeRaw);
    const after = this.#new.resolver.deref(afterRaw);
    if (!before || !after || this.#alreadySeen('out', beforeRaw, afterRaw, path)) return;

    const beforeBranches = branchesOf(before, this.#old.resolver);
    const afterBranches = branchesOf(after, this.#new.resolver);
    if (beforeBranches && afterBranches) {
      for (const [key, branch] of beforeBranches) {
        const next = afterBranches.get(key);
        if (next) this.#compareOutput(branch, next, `${path}<${key}>`);
      }
      for (const key of afterBranches.keys()) {
        if (!beforeBranches.has(key)) this.#report('additive', 'response-variant-added', `${path}<${key}>`, `Responses may now be the variant ${key}; clients should tolerate variants they do not know.`);
      }
      return;
    }
    if (!beforeBranches && afterBranches?.has('null')) {
      this.#report('breaking', 'response-field-nullable', path, 'The value may now be null.');
      return;
    }

    const beforeTypes = typesOf(before);
    const afterTypes = typesOf(after);
    if (beforeTypes && afterTypes) {
      const added = [...afterTypes].filter((type) => !typeCovered(type, beforeTypes));
      if (added.includes('null')) this.#report('breaking', 'response-field-nullable', path, 'The value may now be null.');
      const changed = added.filter((type) => type !== 'null');
      if (changed.length > 0) {
        this.#report('breaking', 'response-type-changed', path, `The type changed from ${[...beforeTypes].join(' or ')} to ${[...afterTypes].join(' or ')}.`);
      }
    }

    const beforeValues = enumValues(before);
    const afterValues = enumValues(after);
    if (beforeValues && afterValues) {
      const removed = [...beforeValues].filter((value) => !afterValues.has(value));
      const added = [...afterValues].filter((value) => !beforeValues.has(value));
      if (removed.length > 0) this.#report('breaking', 'response-enum-removed', path, `No longer returns ${removed.map((v) => JSON.stringify(v)).join(', ')}.`);
      if (added.length > 0) {
        this.#report('additive', 'response-enum-added', path, `May now return ${added.map((v) => JSON.stringify(v)).join(', ')}; clients should tolerate values they do not know.`);
      }
    }

    const beforeShape = objectShape(before, this.#old.resolver);
    const afterShape = objectShape(after, this.#new.resolver);
    for (const [name, schema] of Object.entries(beforeShape.properties)) {
      const next = afterShape.properties[name];
      if (next === undefined) {
        this.#report('breaking', 'response-field-removed', `${path}.${name}`, `The response field "${name}" was removed.`);
        continue;
      }
      if (beforeShape.required.has(name) && !afterShape.required.has(name)) {
        this.#report('breaking', 'response-field-optional', `${path}.${name}`, `The response field "${name}" is no longer always present.`);
      }
      this.#compareOutput(schema, next, `${path}.${name}`);
    }
    for (const name of Object.keys(afterShape.properties)) {
      if (!(name in beforeShape.properties)) this.#report('additive', 'response-field-added', `${path}.${name}`, `New response field "${name}".`);
    }
    if (before.items !== undefined && after.items !== undefined) this.#compareOutput(before.items, after.items, `${path}[]`);
  }

  #alreadySeen(direction: string, before: unknown, after: unknown, path: string): boolean {
    // Two named schemas are compared once per direction; inline schemas always (they cannot recurse).
    const beforeRef = isObject(before) ? before.$ref : undefined;
    const afterRef = isObject(after) ? after.$ref : undefined;
    if (typeof beforeRef !== 'string' || typeof afterRef !== 'string') return false;
    const key = `${direction}|${beforeRef}|${afterRef}|${path.split('.').length > 12 ? 'deep' : path}`;
    if (this.#seen.has(key)) return true;
    this.#seen.add(key);
    return false;
  }

  #report(severity: Severity, rule: string, path: string, message: string): void {
    this.findings.push({ severity, rule, path, message });
  }
}

function operationPath(operation: OperationModel): string {
  return `$.paths[${JSON.stringify(operation.path)}].${operation.method}`;
}

function rawOperation(model: ApiModel, operation: OperationModel): JsonSchema {
  const paths = model.document.paths as Record<string, Record<string, JsonSchema>>;
  return paths[operation.path]?.[operation.method] ?? {};
}

function enumValues(schema: JsonSchema): Set<unknown> | undefined {
  if (Array.isArray(schema.enum)) return new Set(schema.enum);
  if (schema.const !== undefined) return new Set([schema.const]);
  return undefined;
}

function kebab(keyword: string): string {
  return keyword.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
}
