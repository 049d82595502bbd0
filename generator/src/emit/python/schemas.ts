/**
 * Maps JSON Schemas of the contract to Python type expressions, and collects the named
 * declarations those expressions need: pydantic models and unions for responses, TypedDicts
 * for request parameters, and `Literal` aliases for enums.
 */
import type { ApiModel, JsonSchema } from '../../model';
import { isPythonIdentifier, pascalCase, pythonIdentifier } from './naming';

/** Responses become pydantic models that tolerate additions; requests become TypedDicts. */
export type Mode = 'model' | 'param';

export interface FieldDeclaration {
  /** The attribute or TypedDict key: the wire name when it is a valid identifier. */
  pyName: string;
  wireName: string;
  type: string;
  required: boolean;
  description: string | undefined;
}

export type Declaration =
  | { kind: 'class'; mode: Mode; name: string; bases: string[]; fields: FieldDeclaration[]; description: string | undefined }
  | { kind: 'literal'; name: string; values: string[]; description: string | undefined }
  | {
      kind: 'union';
      mode: Mode;
      name: string;
      members: string[];
      /** Discriminated unions: the property and the tag of each member, in member order. */
      discriminator: { property: string; tags: string[] } | undefined;
      description: string | undefined;
    };

const COMPONENT_PREFIX = '#/components/schemas/';

// Names a pydantic model field may not take, because BaseModel or VisitorFlowModel uses them.
const RESERVED_MODEL_FIELDS = new Set([
  'copy', 'dict', 'json', 'schema', 'schema_json', 'construct', 'validate', 'fields',
  'parse_obj', 'parse_raw', 'parse_file', 'from_orm', 'update_forward_refs', 'to_dict', 'to_json',
]);

export class SchemaTypes {
  /** Declarations by name, in the order they were completed (dependencies first). */
  readonly declarations = new Map<string, Declaration>();
  readonly #inProgress = new Set<string>();
  readonly #origin = new Map<string, string>();
  readonly #model: ApiModel;

  constructor(model: ApiModel) {
    this.#model = model;
  }

  /** Follows `$ref`s to a component schema; returns the component name along with it. */
  resolve(schema: JsonSchema): { name: string | undefined; schema: JsonSchema } {
    let current = schema;
    let name: string | undefined;
    for (let hops = 0; typeof current.$ref === 'string' && hops < 10; hops++) {
      const ref = current.$ref as string;
      if (!ref.startsWith(COMPONENT_PREFIX)) throw new Error(`The Python emitter cannot follow "${ref}".`);
      name = ref.slice(COMPONENT_PREFIX.length);
      current = this.#model.schemas[name] ?? {};
    }
    return { name, schema: current };
  }

  /** Returns the Python type of a schema, declaring the classes and aliases it needs. `hint` names inline objects. */
  typeOf(schema: JsonSchema, mode: Mode, hint: string): string {
    if (typeof schema.$ref === 'string') {
      const { name, schema: target } = this.resolve(schema);
      return this.#named(name ?? hint, target, mode);
    }
    const { schema: nonNull, nullable } = splitNull(schema);
    const base = typeof nonNull.$ref === 'string' ? this.typeOf(nonNull, mode, hint) : this.#inline(nonNull, mode, hint);
    return nullable && base !== 'None' && base !== 'Any' ? `${base} | None` : base;
  }

  /** The description of a property. A referenced component's own description is left out, because it describes the type, not the field. */
  describe(schema: JsonSchema): string | undefined {
    return optionalString(schema.description);
  }

  /** Returns the properties of an object schema, merging `allOf` parts; undefined for other schemas. */
  objectProperties(schema: JsonSchema): { properties: Record<string, JsonSchema>; required: Set<string> } | undefined {
    const resolved = this.resolve(schema).schema;
    if (Array.isArray(resolved.allOf)) {
      const properties: Record<string, JsonSchema> = {};
      const required = new Set<string>();
      for (const part of resolved.allOf as JsonSchema[]) {
        const inner = this.objectProperties(part);
        if (!inner) return undefined;
        Object.assign(properties, inner.properties);
        for (const name of inner.required) required.add(name);
      }
      return { properties, required };
    }
    if (!isObjectSchema(resolved)) return undefined;
    return {
      properties: isRecord(resolved.properties) ? (resolved.properties as Record<string, JsonSchema>) : {},
      required: new Set(Array.isArray(resolved.required) ? resolved.required.map(String) : []),
    };
  }

  /** Returns the members of a discriminated `oneOf` schema with their tags, or undefined. */
  discriminatedMembers(schema: JsonSchema): { property: string; members: { tag: string; schema: JsonSchema }[] } | undefined {
    const resolved = this.resolve(schema).schema;
    if (!isUnion(resolved) || !isRecord(resolved.discriminator)) return undefined;
    const property = String(resolved.discriminator.propertyName);
    const members = (resolved.oneOf as JsonSchema[]).map((member) => ({ tag: this.#tagOf(member, property, resolved), schema: member }));
    return { property, members };
  }

  #named(name: string, target: JsonSchema, mode: Mode): string {
    const { schema: nonNull, nullable } = splitNull(target);
    let type: string;
    if (isObjectSchema(nonNull) || Array.isArray(nonNull.allOf)) {
      type = this.#declareClass(mode === 'param' ? `${name}Param` : name, nonNull, mode);
    } else if (isUnion(nonNull)) {
      type = this.#declareUnion(mode === 'param' ? `${name}Param` : name, nonNull, mode);
    } else if (isStringEnum(nonNull)) {
      this.#declare(name, { kind: 'literal', name, values: enumValues(nonNull), description: optionalString(nonNull.description) });
      type = mode === 'model' ? `${name} | str` : name;
    } else {
      type = this.#inline(nonNull, mode, name);
    }
    return nullable && type !== 'Any' ? `${type} | None` : type;
  }

  #inline(schema: JsonSchema, mode: Mode, hint: string): string {
    if (schema.const !== undefined) return `Literal[${JSON.stringify(schema.const)}]`;
    if (isStringEnum(schema)) {
      const literal = `Literal[${enumValues(schema).map((value) => JSON.stringify(value)).join(', ')}]`;
      // Long enums get a named alias, so that no annotation outgrows a line.
      if (literal.length > 48) {
        this.#declare(hint, { kind: 'literal', name: hint, values: enumValues(schema), description: undefined });
        return mode === 'model' ? `${hint} | str` : hint;
      }
      return mode === 'model' ? `${literal} | str` : literal;
    }
    if (isUnion(schema)) {
      if (isRecord(schema.discriminator)) return this.#declareUnion(mode === 'param' ? `${hint}Param` : hint, schema, mode);
      const members = (schema.oneOf ?? schema.anyOf) as JsonSchema[];
      return unionOf(members.map((member, index) => this.typeOf(member, mode, `${hint}${index + 1}`)));
    }
    if (Array.isArray(schema.allOf)) {
      const parts = schema.allOf as JsonSchema[];
      if (parts.length === 1) return this.typeOf(parts[0]!, mode, hint);
      return this.#declareClass(mode === 'param' ? `${hint}Param` : hint, schema, mode);
    }
    if (isObjectSchema(schema)) {
      if (isRecord(schema.properties) && Object.keys(schema.properties).length > 0) {
        return this.#declareClass(mode === 'param' ? `${hint}Param` : hint, schema, mode);
      }
      const values = isRecord(schema.additionalProperties) ? this.typeOf(schema.additionalProperties, mode, `${hint}Value`) : 'Any';
      return `dict[str, ${values}]`;
    }
    let types: string[] = [];
    if (Array.isArray(schema.type)) types = schema.type.map(String);
    else if (typeof schema.type === 'string') types = [schema.type];
    if (types.length > 1) return unionOf(types.map((type) => this.#inline({ ...schema, type }, mode, hint)));
    switch (types[0]) {
      case 'string':
        if (schema.format === 'binary' || typeof schema.contentMediaType === 'string') return 'bytes';
        if (schema.format === 'date-time') return mode === 'model' ? 'datetime' : 'str | datetime';
        return 'str';
      case 'integer':
        return 'int';
      case 'number':
        return 'float';
      case 'boolean':
        return 'bool';
      case 'null':
        return 'None';
      case 'array': {
        const items = isRecord(schema.items) ? this.typeOf(schema.items, mode, `${hint}Item`) : 'Any';
        return mode === 'model' ? `list[${items}]` : `Sequence[${items}]`;
      }
      default:
        return 'Any';
    }
  }

  #declareClass(name: string, schema: JsonSchema, mode: Mode): string {
    if (this.declarations.has(name) || this.#inProgress.has(name)) return name;
    this.#inProgress.add(name);
    const bases: string[] = [];
    const fields: FieldDeclaration[] = [];
    const ownerHint = mode === 'param' ? name.replace(/Param$/, '') : name;
    const parts = Array.isArray(schema.allOf) ? (schema.allOf as JsonSchema[]) : [schema];
    for (const part of parts) {
      if (typeof part.$ref === 'string' && parts.length > 1) {
        bases.push(this.typeOf(part, mode, ownerHint));
        continue;
      }
      const resolved = this.resolve(part).schema;
      const properties = isRecord(resolved.properties) ? (resolved.properties as Record<string, JsonSchema>) : {};
      const required = new Set(Array.isArray(resolved.required) ? resolved.required.map(String) : []);
      for (const [wireName, property] of Object.entries(properties)) {
        fields.push({
          pyName: fieldName(wireName, mode),
          wireName,
          type: this.typeOf(property, mode, `${ownerHint}${pascalCase(wireName)}`),
          required: required.has(wireName),
          description: this.describe(property),
        });
      }
    }
    this.#inProgress.delete(name);
    this.#declare(name, { kind: 'class', mode, name, bases, fields, description: optionalString(schema.description) });
    return name;
  }

  #declareUnion(name: string, schema: JsonSchema, mode: Mode): string {
    if (this.declarations.has(name) || this.#inProgress.has(name)) return name;
    this.#inProgress.add(name);
    const hint = mode === 'param' ? name.replace(/Param$/, '') : name;
    const members = ((schema.oneOf ?? schema.anyOf) as JsonSchema[]).map((member, index) => this.typeOf(member, mode, `${hint}${index + 1}`));
    let discriminator: { property: string; tags: string[] } | undefined;
    if (isRecord(schema.discriminator)) {
      const property = String(schema.discriminator.propertyName);
      discriminator = { property, tags: (schema.oneOf as JsonSchema[]).map((member) => this.#tagOf(member, property, schema)) };
    }
    this.#inProgress.delete(name);
    this.#declare(name, { kind: 'union', mode, name, members, discriminator, description: optionalString(schema.description) });
    return name;
  }

  /** The discriminator value of a union member: from the mapping, else from its `const`. */
  #tagOf(member: JsonSchema, property: string, union: JsonSchema): string {
    const mapping = isRecord(union.discriminator) && isRecord(union.discriminator.mapping) ? union.discriminator.mapping : {};
    for (const [tag, ref] of Object.entries(mapping)) {
      if (ref === member.$ref) return tag;
    }
    const properties = this.objectProperties(member)?.properties ?? {};
    const value = properties[property]?.const ?? (properties[property]?.enum as unknown[] | undefined)?.[0];
    if (typeof value !== 'string') throw new Error(`Union member ${JSON.stringify(member)} has no "${property}" tag.`);
    return value;
  }

  #declare(name: string, declaration: Declaration): void {
    const key = JSON.stringify(declaration);
    const earlier = this.#origin.get(name);
    if (earlier !== undefined && earlier !== key) {
      throw new Error(`Two different Python types would both be named "${name}"; rename one schema in openapi.yaml.`);
    }
    this.#origin.set(name, key);
    if (!this.declarations.has(name)) this.declarations.set(name, declaration);
  }
}

function fieldName(wireName: string, mode: Mode): string {
  if (mode === 'param') return wireName;
  const identifier = pythonIdentifier(wireName);
  if (identifier.startsWith('_') || identifier.startsWith('model_') || RESERVED_MODEL_FIELDS.has(identifier)) {
    return `${identifier.replace(/^_+/, '')}_`;
  }
  return identifier;
}

/** Tells whether a TypedDict can use class syntax, which needs every key to be a valid identifier. */
export function hasIdentifierKeys(fields: FieldDeclaration[]): boolean {
  return fields.every((field) => isPythonIdentifier(field.wireName));
}

/** Removes `null` from a schema's type, enum or oneOf, and says whether it was there. */
function splitNull(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  if (Array.isArray(schema.type) && schema.type.includes('null')) {
    const rest = schema.type.filter((type) => type !== 'null');
    return { schema: { ...schema, type: rest.length === 1 ? rest[0] : rest }, nullable: true };
  }
  if (Array.isArray(schema.enum) && schema.enum.includes(null)) {
    return { schema: { ...schema, enum: schema.enum.filter((value) => value !== null) }, nullable: true };
  }
  const members = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (Array.isArray(members) && members.some(isNullSchema)) {
    const rest = members.filter((member) => !isNullSchema(member));
    const { oneOf: _oneOf, anyOf: _anyOf, ...others } = schema;
    const remaining = rest.length === 1 ? { ...others, ...rest[0] } : { ...others, oneOf: rest };
    return { schema: remaining, nullable: true };
  }
  return { schema, nullable: false };
}

function isNullSchema(schema: JsonSchema): boolean {
  return schema.type === 'null';
}

export function isObjectSchema(schema: JsonSchema): boolean {
  return schema.type === 'object' || (schema.type === undefined && isRecord(schema.properties));
}

function isUnion(schema: JsonSchema): boolean {
  return Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf);
}

function isStringEnum(schema: JsonSchema): boolean {
  return Array.isArray(schema.enum) && schema.enum.length > 0 && schema.enum.every((value) => typeof value === 'string');
}

function enumValues(schema: JsonSchema): string[] {
  return (schema.enum as string[]).slice();
}

function unionOf(types: string[]): string {
  const unique = [...new Set(types.flatMap((type) => type.split(' | ')))];
  // `None` goes last, as people write it.
  unique.sort((a, b) => Number(a === 'None') - Number(b === 'None'));
  return unique.join(' | ');
}

function isRecord(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
