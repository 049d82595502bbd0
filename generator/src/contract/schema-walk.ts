import type { JsonSchema } from '../model';

/** Resolves local `$ref`s of one OpenAPI document. */
export class Resolver {
  readonly #document: JsonSchema;

  constructor(document: JsonSchema) {
    this.#document = document;
  }

  /** Follows `$ref`s until a node without one; undefined when a reference is broken. */
  deref(node: unknown): JsonSchema | undefined {
    let current = node;
    for (let hops = 0; hops < 20; hops++) {
      if (!isObject(current)) return undefined;
      if (typeof current.$ref !== 'string') return current;
      current = this.lookup(current.$ref);
    }
    return undefined;
  }

  lookup(ref: string): unknown {
    let node: unknown = this.#document;
    for (const raw of ref.replace(/^#\//, '').split('/')) {
      node = isObject(node) ? node[raw.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
    }
    return node;
  }
}

export function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns the JSON types a schema admits: `type` as a string or a list, with `nullable: true` (3.0 style) as "null". */
export function typesOf(schema: JsonSchema): Set<string> | undefined {
  const declared = schema.type;
  if (declared === undefined) return undefined;
  const types = new Set(Array.isArray(declared) ? declared.map(String) : [String(declared)]);
  if (schema.nullable === true) types.add('null');
  if (types.has('integer') && types.has('number')) types.delete('integer');
  return types;
}

/** Tells whether every value of type `narrow` is also of type `wide` (integer ⊂ number). */
export function typeCovered(narrow: string, wide: Set<string>): boolean {
  return wide.has(narrow) || (narrow === 'integer' && wide.has('number'));
}

/** Collects the properties and required names of an object schema, following allOf parts. */
export function objectShape(schema: JsonSchema, resolver: Resolver): { properties: Record<string, unknown>; required: Set<string> } {
  const properties: Record<string, unknown> = {};
  const required = new Set<string>();
  const visit = (node: JsonSchema) => {
    if (isObject(node.properties)) Object.assign(properties, node.properties);
    if (Array.isArray(node.required)) for (const name of node.required) required.add(String(name));
    if (Array.isArray(node.allOf)) {
      for (const part of node.allOf) {
        const resolved = resolver.deref(part);
        if (resolved) visit(resolved);
      }
    }
  };
  visit(schema);
  return { properties, required };
}

/** Returns the branches of a oneOf or anyOf, keyed by their discriminator value (`type: const`) when they have one. */
export function branchesOf(schema: JsonSchema, resolver: Resolver): Map<string, JsonSchema> | undefined {
  const list = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  if (!list) return undefined;
  const discriminator = isObject(schema.discriminator) && typeof schema.discriminator.propertyName === 'string' ? schema.discriminator.propertyName : undefined;

  const branches = new Map<string, JsonSchema>();
  list.forEach((branch, index) => {
    const resolved = resolver.deref(branch);
    if (!resolved) return;
    let key = `#${index}`;
    if (discriminator) {
      const property = resolver.deref(objectShape(resolved, resolver).properties[discriminator]);
      if (property && property.const !== undefined) key = `${discriminator}=${String(property.const)}`;
    } else if (resolved.type === 'null') {
      key = 'null';
    }
    branches.set(key, resolved);
  });
  return branches;
}
