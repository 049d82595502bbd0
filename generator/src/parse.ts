import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';

import {
  HTTP_METHODS,
  type ApiModel,
  type HttpMethod,
  type JsonSchema,
  type OperationModel,
  type ParameterModel,
  type RequestBodyModel,
  type ResponseModel,
} from './model';
import { SpecError, pointerSegment, type SpecProblem } from './problems';

const OPERATION_ID = /^[a-z][A-Za-z0-9]*$/;
const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** Reads and parses `openapi.yaml`; throws SpecError listing every problem found. */
export async function loadModel(specPath: string): Promise<ApiModel> {
  const text = await readFile(specPath, 'utf8');
  return parseModel(text);
}

/** Parses the spec text into the generator's model; throws SpecError listing every problem found. */
export function parseModel(text: string): ApiModel {
  const yaml = parseDocument(text, { uniqueKeys: true });
  if (yaml.errors.length > 0) {
    throw new SpecError(yaml.errors.map((e) => ({ path: `line ${e.linePos?.[0].line ?? '?'}`, message: e.message })));
  }

  const document = yaml.toJS({ maxAliasCount: 100 }) as unknown;
  if (!isObject(document)) {
    throw new SpecError([{ path: '#', message: 'The document must be a YAML mapping.' }]);
  }

  const parser = new ModelParser(document);
  const model = parser.parse();
  if (parser.problems.length > 0) throw new SpecError(parser.problems);
  return model;
}

class ModelParser {
  readonly problems: SpecProblem[] = [];
  readonly #document: JsonSchema;

  constructor(document: JsonSchema) {
    this.#document = document;
  }

  parse(): ApiModel {
    const doc = this.#document;
    if (typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.1.')) {
      this.#report('#/openapi', `Expected an OpenAPI 3.1 document, found ${JSON.stringify(doc.openapi)}.`);
    }
    const info = isObject(doc.info) ? doc.info : {};
    if (typeof info.title !== 'string' || typeof info.version !== 'string') {
      this.#report('#/info', 'info.title and info.version are required strings.');
    }

    this.#checkReferences(doc, '#');
    const operations = this.#parseOperations();
    const components = isObject(doc.components) ? doc.components : {};
    const schemas = isObject(components.schemas) ? (components.schemas as Record<string, JsonSchema>) : {};

    return {
      title: String(info.title ?? ''),
      version: String(info.version ?? ''),
      document: doc,
      operations,
      schemas,
    };
  }

  #parseOperations(): OperationModel[] {
    const paths = this.#document.paths;
    if (!isObject(paths)) {
      this.#report('#/paths', 'The document has no paths.');
      return [];
    }

    const operations: OperationModel[] = [];
    const seenIds = new Map<string, string>();
    for (const [path, pathItem] of Object.entries(paths)) {
      const pathPointer = `#/paths/${pointerSegment(path)}`;
      if (!path.startsWith('/')) this.#report(pathPointer, 'A path must start with "/".');
      if (!isObject(pathItem)) {
        this.#report(pathPointer, 'A path item must be a mapping.');
        continue;
      }
      const sharedParameters = this.#parseParameters(pathItem.parameters, `${pathPointer}/parameters`);

      for (const method of HTTP_METHODS) {
        const operation = pathItem[method];
        if (operation === undefined) continue;
        const pointer = `${pathPointer}/${method}`;
        if (!isObject(operation)) {
          this.#report(pointer, 'An operation must be a mapping.');
          continue;
        }
        const parsed = this.#parseOperation(path, method, operation, sharedParameters, pointer);
        if (!parsed) continue;

        const earlier = seenIds.get(parsed.id);
        if (earlier) this.#report(`${pointer}/operationId`, `operationId "${parsed.id}" is already used by ${earlier}.`);
        seenIds.set(parsed.id, pointer);
        operations.push(parsed);
      }
    }
    return operations;
  }

  #parseOperation(
    path: string,
    method: HttpMethod,
    operation: JsonSchema,
    sharedParameters: ParameterModel[],
    pointer: string,
  ): OperationModel | undefined {
    const id = operation.operationId;
    if (typeof id !== 'string' || !OPERATION_ID.test(id)) {
      this.#report(`${pointer}/operationId`, 'Every operation needs an operationId in lowerCamelCase, such as "createVisit".');
      return undefined;
    }

    const ownParameters = this.#parseParameters(operation.parameters, `${pointer}/parameters`);
    const parameters = mergeParameters(sharedParameters, ownParameters);
    this.#checkPathParameters(path, parameters, pointer);

    return {
      id,
      method,
      path,
      tags: Array.isArray(operation.tags) ? operation.tags.map(String) : [],
      summary: optionalString(operation.summary),
      description: optionalString(operation.description),
      securitySchemes: this.#parseSecurity(operation.security ?? this.#document.security, `${pointer}/security`),
      parameters,
      requestBody: this.#parseRequestBody(operation.requestBody, `${pointer}/requestBody`),
      responses: this.#parseResponses(operation.responses, `${pointer}/responses`),
      sdkMethod: this.#parseSdkMethod(operation['x-sdk-method'], `${pointer}/x-sdk-method`),
      pointer,
    };
  }

  #parseSdkMethod(value: unknown, pointer: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && OPERATION_ID.test(value)) return value;
    this.#report(pointer, `x-sdk-method must be a lowerCamelCase method name, such as "qrPng", found ${JSON.stringify(value)}.`);
    return undefined;
  }

  #parseParameters(value: unknown, pointer: string): ParameterModel[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.#report(pointer, 'parameters must be a list.');
      return [];
    }

    const parameters: ParameterModel[] = [];
    value.forEach((entry, index) => {
      const itemPointer = `${pointer}/${index}`;
      const parameter = this.#resolve(entry, itemPointer);
      if (!parameter) return;
      const location = parameter.in;
      if (typeof parameter.name !== 'string' || !['path', 'query', 'header', 'cookie'].includes(String(location))) {
        this.#report(itemPointer, 'A parameter needs a name and "in" (path, query, header or cookie).');
        return;
      }
      if (location === 'path' && parameter.required !== true) {
        this.#report(itemPointer, `Path parameter "${parameter.name}" must be marked required: true.`);
      }
      parameters.push({
        name: parameter.name,
        in: location as ParameterModel['in'],
        required: parameter.required === true,
        description: optionalString(parameter.description),
        schema: isObject(parameter.schema) ? parameter.schema : {},
      });
    });
    return parameters;
  }

  #checkPathParameters(path: string, parameters: ParameterModel[], pointer: string): void {
    const templateNames = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
    const declared = parameters.filter((p) => p.in === 'path').map((p) => p.name);
    for (const name of templateNames) {
      if (!declared.includes(name)) this.#report(pointer, `Path parameter "{${name}}" is not declared in parameters.`);
    }
    for (const name of declared) {
      if (!templateNames.includes(name)) this.#report(pointer, `Parameter "${name}" is declared "in: path" but the path has no "{${name}}".`);
    }
  }

  #parseSecurity(value: unknown, pointer: string): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.#report(pointer, 'security must be a list of requirements.');
      return [];
    }

    const components = isObject(this.#document.components) ? this.#document.components : {};
    const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
    const names: string[] = [];
    value.forEach((requirement, index) => {
      if (!isObject(requirement)) return;
      const required = Object.keys(requirement);
      // An empty requirement ({}) makes authentication optional, and one naming two schemes
      // requires both at once; the server's auth middleware supports neither.
      if (required.length !== 1) {
        this.#report(`${pointer}/${index}`, 'Each security requirement must name exactly one scheme; optional or combined schemes are not supported.');
      }
      for (const name of required) {
        if (!(name in schemes)) this.#report(pointer, `Security scheme "${name}" is not defined in components.securitySchemes.`);
        names.push(name);
      }
    });
    return names;
  }

  #parseRequestBody(value: unknown, pointer: string): RequestBodyModel | undefined {
    if (value === undefined) return undefined;
    const body = this.#resolve(value, pointer);
    if (!body) return undefined;
    const content = isObject(body.content) ? body.content : {};
    const contentTypes = Object.keys(content);
    if (contentTypes.length === 0) this.#report(`${pointer}/content`, 'A request body needs at least one media type.');
    return {
      required: body.required === true,
      contentTypes,
      schemas: mediaTypeSchemas(content),
      description: optionalString(body.description),
    };
  }

  #parseResponses(value: unknown, pointer: string): ResponseModel[] {
    if (!isObject(value)) {
      this.#report(pointer, 'Every operation needs responses.');
      return [];
    }

    const responses: ResponseModel[] = [];
    for (const [status, entry] of Object.entries(value)) {
      const itemPointer = `${pointer}/${status}`;
      if (!/^[1-5][0-9][0-9]$/.test(status) && status !== 'default') {
        this.#report(itemPointer, `"${status}" is not an HTTP status code.`);
        continue;
      }
      const response = this.#resolve(entry, itemPointer);
      if (!response) continue;
      const content = isObject(response.content) ? response.content : {};
      const contentTypes = Object.keys(content);
      responses.push({
        status,
        description: String(response.description ?? ''),
        contentTypes,
        isProblem: contentTypes.includes(PROBLEM_MEDIA_TYPE),
        schemas: mediaTypeSchemas(content),
      });
    }
    if (!responses.some((r) => r.status.startsWith('2'))) this.#report(pointer, 'Every operation needs a 2xx response.');
    return responses;
  }

  /** Follows a local `$ref` (one or more hops) to the object it names. */
  #resolve(value: unknown, pointer: string): JsonSchema | undefined {
    let current = value;
    for (let hops = 0; hops < 10; hops++) {
      if (!isObject(current)) {
        this.#report(pointer, 'Expected a mapping.');
        return undefined;
      }
      if (typeof current.$ref !== 'string') return current;
      current = this.#lookup(current.$ref);
      if (current === undefined) return undefined;
    }
    this.#report(pointer, 'Too many $ref hops; is there a cycle?');
    return undefined;
  }

  #lookup(ref: string): unknown {
    let node: unknown = this.#document;
    for (const raw of ref.slice(2).split('/')) {
      const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
      node = isObject(node) ? node[segment] : undefined;
    }
    return node;
  }

  /** Reports every `$ref` that is not a local reference to an existing node. */
  #checkReferences(node: unknown, pointer: string): void {
    if (Array.isArray(node)) {
      node.forEach((item, index) => this.#checkReferences(item, `${pointer}/${index}`));
      return;
    }
    if (!isObject(node)) return;

    for (const [key, value] of Object.entries(node)) {
      const childPointer = `${pointer}/${pointerSegment(key)}`;
      if (key === '$ref' && typeof value === 'string') {
        if (!value.startsWith('#/')) this.#report(childPointer, `Only local references are supported, found "${value}".`);
        else if (this.#lookup(value) === undefined) this.#report(childPointer, `"${value}" does not exist.`);
        continue;
      }
      // Examples are free-form data, so a "$ref" key inside one is not a reference. Under
      // `properties` the same words are property names whose values are schemas.
      const isExample = (key === 'example' || key === 'examples') && !pointer.endsWith('/properties');
      if (isExample) continue;
      this.#checkReferences(value, childPointer);
    }
  }

  #report(path: string, message: string): void {
    this.problems.push({ path, message });
  }
}

/** Combines path-level and operation-level parameters; the operation's win on the same name and location. */
function mergeParameters(shared: ParameterModel[], own: ParameterModel[]): ParameterModel[] {
  const overridden = new Set(own.map((p) => `${p.in}:${p.name}`));
  return [...shared.filter((p) => !overridden.has(`${p.in}:${p.name}`)), ...own];
}

/** Maps each media type of a `content` object to its schema; a media type without one gets `{}`. */
function mediaTypeSchemas(content: JsonSchema): Record<string, JsonSchema> {
  const schemas: Record<string, JsonSchema> = {};
  for (const [mediaType, entry] of Object.entries(content)) {
    schemas[mediaType] = isObject(entry) && isObject(entry.schema) ? entry.schema : {};
  }
  return schemas;
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
