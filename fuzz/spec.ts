import { resolve } from 'node:path';

import { loadModel } from '../generator/src/parse';
import type { ApiModel, HttpMethod, JsonSchema, OperationModel } from '../generator/src/model';

/** How an operation is authenticated: no credential, an API key, or a kiosk device token. */
export type AuthKind = 'public' | 'apiKey' | 'kioskToken';

export interface FuzzOperation {
  model: OperationModel;
  id: string;
  method: HttpMethod;
  path: string;
  auth: AuthKind;
  /** The request body schema of each media type, `$ref`s left in place. */
  bodySchemas: Record<string, JsonSchema>;
  /** Status codes the spec lists for this operation. */
  statuses: Set<number>;
}

export interface FuzzSpec {
  model: ApiModel;
  operations: FuzzOperation[];
  /** The methods the spec defines for each path template, in upper case. */
  methodsByPath: Map<string, string[]>;
  /** Follows `$ref`s until it reaches a schema that is not a reference. */
  deref(schema: JsonSchema): JsonSchema;
  /** The component name a `$ref` schema points at, such as `LocationId`. */
  refName(schema: JsonSchema): string | undefined;
}

/** Reads `openapi.yaml` at run time, so operations added to the spec are fuzzed without code changes. */
export async function loadFuzzSpec(specPath = resolve(import.meta.dirname, '../openapi.yaml')): Promise<FuzzSpec> {
  const model = await loadModel(specPath);
  const document = model.document;

  const lookup = (ref: string): JsonSchema => {
    let node: unknown = document;
    for (const raw of ref.slice(2).split('/')) node = (node as JsonSchema)[raw.replaceAll('~1', '/').replaceAll('~0', '~')];
    return node as JsonSchema;
  };
  const deref = (schema: JsonSchema): JsonSchema => {
    let current = schema;
    for (let hops = 0; typeof current.$ref === 'string' && hops < 20; hops++) {
      // A $ref with siblings (such as a description) keeps the target's keywords.
      const { $ref, ...siblings } = current;
      current = { ...lookup($ref as string), ...withoutAnnotations(siblings) };
    }
    return current;
  };
  const refName = (schema: JsonSchema): string | undefined => (typeof schema.$ref === 'string' ? schema.$ref.split('/').at(-1) : undefined);

  const operations = model.operations.map((operation): FuzzOperation => {
    const raw = (document.paths as JsonSchema)[operation.path] as JsonSchema;
    const rawOperation = raw[operation.method] as JsonSchema;
    const bodySchemas: Record<string, JsonSchema> = {};
    if (rawOperation.requestBody) {
      const content = (deref(rawOperation.requestBody as JsonSchema).content ?? {}) as Record<string, JsonSchema>;
      for (const [mediaType, entry] of Object.entries(content)) bodySchemas[mediaType] = (entry.schema ?? {}) as JsonSchema;
    }
    return {
      model: operation,
      id: operation.id,
      method: operation.method,
      path: operation.path,
      auth: authKind(operation.securitySchemes),
      bodySchemas,
      statuses: new Set(operation.responses.map((r) => Number(r.status)).filter((s) => Number.isInteger(s))),
    };
  });

  const methodsByPath = new Map<string, string[]>();
  for (const operation of operations) {
    const methods = methodsByPath.get(operation.path) ?? [];
    methods.push(operation.method.toUpperCase());
    methodsByPath.set(operation.path, methods);
  }
  return { model, operations, methodsByPath, deref, refName };
}

function authKind(schemes: string[]): AuthKind {
  if (schemes.length === 0) return 'public';
  return schemes.includes('kioskToken') ? 'kioskToken' : 'apiKey';
}

function withoutAnnotations(schema: JsonSchema): JsonSchema {
  const { description: _description, examples: _examples, example: _example, ...rest } = schema;
  return rest;
}
