/**
 * Plans the SDK surface from the model: which resource or client each operation belongs to,
 * its method name, parameters and return type. The emitters only print this plan.
 */
import type { ApiModel, JsonSchema, OperationModel } from '../../model';
import { SpecError, type SpecProblem } from '../../problems';
import { methodNameFor, pascalCase, pythonIdentifier, snakeCase } from './naming';
import { SchemaTypes } from './schemas';

const JSON_MEDIA_TYPE = 'application/json';

export interface PyParameter {
  pyName: string;
  wireName: string;
  in: 'path' | 'query' | 'header' | 'body' | 'content' | 'content_type';
  type: string;
  required: boolean;
  description: string | undefined;
}

/** One way to call an operation; a `oneOf` request body gives one variant per member. */
export interface CallVariant {
  parameters: PyParameter[];
  description: string | undefined;
}

export interface PyResult {
  /** The method's return type: a model, union alias, `bytes`, `None` or another type. */
  type: string;
  /** The `cast_to` the transport parses with: a class, an adapter constant, `bytes` or `None`. */
  castTo: string;
  /** For list operations: the item type; the method returns a page of it. */
  pageItem: string | undefined;
  /** A local `TypeAdapter` the resource module declares for a type that is not a class. */
  localAdapter: { name: string; type: string } | undefined;
}

export interface PyMethod {
  name: string;
  operation: OperationModel;
  /** More than one variant means `@overload`s. */
  variants: CallVariant[];
  /** The merged signature of the implementation. */
  implementation: PyParameter[];
  result: PyResult;
  /** The media type of a non-JSON body sent as `content`. */
  contentTypes: string[];
}

export interface PyGroup {
  /** `resource`: an attribute of the main client; `client`: the methods of a separate client. */
  kind: 'resource' | 'client';
  /** Attribute name (`pre_registrations`) or, for a client, the security scheme name. */
  attribute: string;
  className: string;
  module: string;
  description: string | undefined;
  methods: PyMethod[];
}

export interface SdkSurface {
  groups: PyGroup[];
  types: SchemaTypes;
}

/** Builds the SDK plan; throws SpecError when two operations would get the same method. */
export function planSurface(model: ApiModel): SdkSurface {
  const types = new SchemaTypes(model);
  const groups = new Map<string, PyGroup>();
  const problems: SpecProblem[] = [];
  const defaultSchemes = new Set(topLevelSchemes(model));
  const tagDescriptions = tagDescriptionsOf(model);

  // A tag whose operations need a credential other than the default one (the kiosk's device
  // token) becomes a separate client, named after that scheme.
  const tagScheme = new Map<string, string>();
  for (const operation of model.operations) {
    const tag = operation.tags[0] ?? 'misc';
    const foreign = operation.securitySchemes.find((scheme) => !defaultSchemes.has(scheme));
    if (foreign !== undefined && !tagScheme.has(tag)) tagScheme.set(tag, foreign);
  }

  for (const operation of model.operations) {
    const tag = operation.tags[0] ?? 'misc';
    const scheme = tagScheme.get(tag);
    const key = scheme === undefined ? `resource:${tag}` : `client:${scheme}`;
    let group = groups.get(key);
    if (!group) {
      group =
        scheme === undefined
          ? { kind: 'resource', attribute: pythonIdentifier(snakeCase(tag)), className: pascalCase(tag), module: snakeCase(tag), description: tagDescriptions.get(tag), methods: [] }
          : { kind: 'client', attribute: scheme, className: `${pascalCase(scheme)}Operations`, module: snakeCase(scheme), description: tagDescriptions.get(tag), methods: [] };
      groups.set(key, group);
    }

    const name = operation.sdkMethod ? pythonIdentifier(snakeCase(operation.sdkMethod)) : methodNameFor(operation.id, tag);
    const clash = group.methods.find((method) => method.name === name);
    if (clash) {
      problems.push({
        path: operation.pointer,
        message: `The Python SDK method name "${name}" is already used by ${clash.operation.id} in ${group.className}; set x-sdk-method on one of them.`,
      });
      continue;
    }
    group.methods.push(planMethod(types, operation, name));
  }
  if (problems.length > 0) throw new SpecError(problems);
  return { groups: [...groups.values()], types };
}

function planMethod(types: SchemaTypes, operation: OperationModel, name: string): PyMethod {
  const hint = pascalCase(operation.id);
  const pathParameters: PyParameter[] = [];
  const queryParameters: PyParameter[] = [];
  const headerParameters: PyParameter[] = [];
  for (const parameter of operation.parameters) {
    if (parameter.in === 'cookie') continue;
    const planned: PyParameter = {
      pyName: pythonIdentifier(snakeCase(parameter.name)),
      wireName: parameter.name,
      in: parameter.in,
      type: types.typeOf(parameter.schema, 'param', `${hint}${pascalCase(parameter.name)}`),
      required: parameter.in === 'path' || parameter.required,
      description: parameter.description,
    };
    if (parameter.in === 'path') pathParameters.push(planned);
    else if (parameter.in === 'query') queryParameters.push(planned);
    else headerParameters.push(planned);
  }
  // Path parameters come in the order the path names them, as callers read the URL.
  const order = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
  pathParameters.sort((a, b) => order.indexOf(a.wireName) - order.indexOf(b.wireName));

  const body = planBody(types, operation, hint);
  const variants = body.variants.map((bodyParameters) => ({
    parameters: arrange(pathParameters, bodyParameters.parameters, queryParameters, headerParameters),
    description: bodyParameters.description,
  }));
  return {
    name,
    operation,
    variants,
    implementation: variants.length === 1 ? variants[0]!.parameters : mergeVariants(variants.map((variant) => variant.parameters)),
    result: planResult(types, operation, hint),
    contentTypes: body.contentTypes,
  };
}

/** Orders parameters as the signature lists them: path, then required keywords, then optional ones. */
function arrange(path: PyParameter[], body: PyParameter[], query: PyParameter[], headers: PyParameter[]): PyParameter[] {
  const keywords = [...body, ...query, ...headers];
  return [...path, ...keywords.filter((p) => p.required), ...keywords.filter((p) => !p.required)];
}

function planBody(
  types: SchemaTypes,
  operation: OperationModel,
  hint: string,
): { variants: { parameters: PyParameter[]; description: string | undefined }[]; contentTypes: string[] } {
  const body = operation.requestBody;
  if (!body) return { variants: [{ parameters: [], description: undefined }], contentTypes: [] };

  const schema = body.schemas[JSON_MEDIA_TYPE];
  if (schema === undefined) {
    // A file upload: the bytes and, when the operation takes several media types, which one.
    const parameters: PyParameter[] = [
      { pyName: 'content', wireName: 'content', in: 'content', type: 'bytes', required: body.required, description: body.description },
    ];
    if (body.contentTypes.length > 1) {
      const literal = `Literal[${body.contentTypes.map((type) => JSON.stringify(type)).join(', ')}]`;
      parameters.push({ pyName: 'content_type', wireName: 'Content-Type', in: 'content_type', type: literal, required: true, description: 'The media type of `content`.' });
    }
    return { variants: [{ parameters, description: undefined }], contentTypes: body.contentTypes };
  }

  const union = types.discriminatedMembers(schema);
  const members = union ? union.members.map((member) => member.schema) : [schema];
  const variants = members.map((member) => {
    const object = types.objectProperties(member);
    if (!object) {
      const type = types.typeOf(member, 'param', `${hint}Body`);
      return { parameters: [{ pyName: 'body', wireName: 'body', in: 'body' as const, type, required: body.required, description: body.description }], description: undefined };
    }
    const memberHint = types.resolve(member).name ?? `${hint}Body`;
    const parameters = Object.entries(object.properties).map(([wireName, property]) => ({
      pyName: pythonIdentifier(wireName),
      wireName,
      in: 'body' as const,
      type: types.typeOf(property, 'param', `${memberHint}${pascalCase(wireName)}`),
      required: object.required.has(wireName),
      description: types.describe(property),
    }));
    return { parameters, description: union ? types.resolve(member).schema.description as string | undefined : undefined };
  });
  return { variants, contentTypes: [JSON_MEDIA_TYPE] };
}

/** The implementation signature of overloads: every parameter, required only when every variant requires it. */
function mergeVariants(variants: PyParameter[][]): PyParameter[] {
  const merged = new Map<string, PyParameter & { count: number; types: string[] }>();
  for (const parameters of variants) {
    for (const parameter of parameters) {
      const existing = merged.get(parameter.pyName);
      if (!existing) {
        merged.set(parameter.pyName, { ...parameter, count: 1, types: [parameter.type] });
        continue;
      }
      existing.count++;
      existing.required &&= parameter.required;
      if (!existing.types.includes(parameter.type)) existing.types.push(parameter.type);
    }
  }
  const all = [...merged.values()].map(({ count, types, ...parameter }) => ({
    ...parameter,
    required: parameter.required && count === variants.length,
    type: mergeTypes(types),
  }));
  const positional = all.filter((p) => p.in === 'path');
  const keywords = all.filter((p) => p.in !== 'path');
  const optional = keywords.filter((p) => !p.required);
  // Headers such as Idempotency-Key go last, after the fields of every variant.
  return [...positional, ...keywords.filter((p) => p.required), ...optional.filter((p) => p.in !== 'header'), ...optional.filter((p) => p.in === 'header')];
}

/** Joins types into a union, folding `Literal["a"] | Literal["b"]` into `Literal["a", "b"]`. */
function mergeTypes(types: string[]): string {
  const literals = types.map((type) => /^Literal\[(.*)\]$/.exec(type)?.[1]);
  if (literals.every((inner) => inner !== undefined)) return `Literal[${[...new Set(literals.join(', ').split(', '))].join(', ')}]`;
  return [...new Set(types.flatMap((type) => type.split(' | ')))].join(' | ');
}

function planResult(types: SchemaTypes, operation: OperationModel, hint: string): PyResult {
  const success = operation.responses.find((response) => response.status.startsWith('2'));
  if (!success || success.contentTypes.length === 0) return { type: 'None', castTo: 'None', pageItem: undefined, localAdapter: undefined };
  const schema = success.schemas[JSON_MEDIA_TYPE];
  if (schema === undefined) return { type: 'bytes', castTo: 'bytes', pageItem: undefined, localAdapter: undefined };

  const envelope = types.objectProperties(schema);
  const itemSchema = envelope?.properties.data?.items as JsonSchema | undefined;
  const paginated = operation.parameters.some((p) => p.in === 'query' && p.name === 'cursor') && envelope?.properties.next_cursor !== undefined && itemSchema !== undefined;
  if (paginated) {
    const item = types.typeOf(itemSchema, 'model', `${hint}Item`);
    const castTo = castFor(types, item) ?? `_${snakeCase(operation.id).toUpperCase()}_ITEM`;
    const localAdapter = castFor(types, item) === undefined ? { name: castTo, type: item } : undefined;
    return { type: item, castTo, pageItem: item, localAdapter };
  }

  const type = types.typeOf(schema, 'model', `${hint}Response`);
  const castTo = castFor(types, type) ?? `_${snakeCase(operation.id).toUpperCase()}_RESULT`;
  const localAdapter = castFor(types, type) === undefined ? { name: castTo, type } : undefined;
  return { type, castTo, pageItem: undefined, localAdapter };
}

/** Returns the model class itself, or the union's adapter constant in models.py; undefined for other types. */
function castFor(types: SchemaTypes, type: string): string | undefined {
  const declaration = types.declarations.get(type);
  if (declaration?.kind === 'class') return type;
  if (declaration?.kind === 'union') return `${snakeCase(type).toUpperCase()}_ADAPTER`;
  return undefined;
}

function topLevelSchemes(model: ApiModel): string[] {
  const security = model.document.security;
  if (!Array.isArray(security)) return [];
  return security.flatMap((requirement) => (typeof requirement === 'object' && requirement !== null ? Object.keys(requirement) : []));
}

function tagDescriptionsOf(model: ApiModel): Map<string, string> {
  const descriptions = new Map<string, string>();
  const tags = model.document.tags;
  if (!Array.isArray(tags)) return descriptions;
  for (const tag of tags) {
    if (typeof tag === 'object' && tag !== null && typeof tag.name === 'string' && typeof tag.description === 'string') {
      descriptions.set(tag.name, tag.description);
    }
  }
  return descriptions;
}
