import type { ApiModel, OperationModel, ResponseModel } from '../model';
import { CodeWriter } from './code-writer';
import { generatedHeader } from './header';

const JSON_MEDIA_TYPE = 'application/json';

/**
 * Emits the typed operation table. For each operation it writes the types of its path
 * parameters, query, body and success results. Then come a `Handlers` interface with one
 * handler per operationId, the metadata the server needs at run time, and the Express route
 * registration.
 */
export function emitServerOperations(model: ApiModel): string {
  const w = new CodeWriter();
  w.line(generatedHeader('//'));
  w.line("import type { RequestHandler, Router } from 'express';");
  w.line();
  w.line("import type { AuthSchemes, OperationHandler, OperationMeta } from '../http/operation';");
  w.line("import type { operations as SpecOperations } from './openapi-types.gen';");
  w.line();

  w.doc('The request and result types of every operation, keyed by operationId.');
  w.block('export interface OperationTypes {', () => {
    for (const operation of model.operations) emitOperationTypes(w, operation);
  });
  w.line();

  w.doc(
    'One handler per operation. A handler whose types no longer match openapi.yaml fails the type check.',
  );
  w.block('export type Handlers = {', () => {
    w.line('[Id in keyof OperationTypes]: OperationHandler<OperationTypes[Id]>;');
  }, '};');
  w.line();

  w.doc('Run-time facts about every operation, keyed by operationId.');
  w.block('export const operations = {', () => {
    for (const operation of model.operations) emitOperationMeta(w, operation);
  }, '} as const satisfies Record<keyof OperationTypes, OperationMeta>;');
  w.line();

  w.doc(
    'Turns one operation and its handler into the Express middleware chain that serves it.',
  );
  w.line('export type BindOperation = <Types extends OperationTypes[keyof OperationTypes]>(');
  w.line('  meta: OperationMeta,');
  w.line('  handler: OperationHandler<Types>,');
  w.line(') => RequestHandler[];');
  w.line();

  w.doc('Registers every operation of openapi.yaml on the router, in spec order.');
  w.block('export function registerOperations(router: Router, handlers: Handlers, bind: BindOperation): void {', () => {
    for (const operation of model.operations) {
      w.line(`router.${operation.method}('${expressPath(operation.path)}', ...bind(operations.${operation.id}, handlers.${operation.id}));`);
    }
  });
  return w.toString();
}

function emitOperationTypes(w: CodeWriter, operation: OperationModel): void {
  const source = `SpecOperations['${operation.id}']`;
  const hasPath = operation.parameters.some((p) => p.in === 'path');
  const hasQuery = operation.parameters.some((p) => p.in === 'query');

  w.doc(`${operation.method.toUpperCase()} ${operation.path}`, operation.summary);
  w.block(`${operation.id}: {`, () => {
    w.line(`params: ${hasPath ? `${source}['parameters']['path']` : 'Record<string, never>'};`);
    w.line(`query: ${hasQuery ? `NonNullable<${source}['parameters']['query']>` : 'Record<string, never>'};`);
    w.line(`body: ${bodyType(operation, source)};`);
    w.line(`auth: ${authType(operation)};`);
    const results = operation.responses.filter((r) => !r.isProblem && r.status !== 'default');
    w.line(`result:`);
    results.forEach((response, index) => {
      const end = index === results.length - 1 ? ';' : '';
      w.line(`  | ${resultType(response, source)}${end}`);
    });
  }, '};');
}

/** Returns the caller's type: the `AuthSchemes` entries the operation accepts, or null when it is public. */
function authType(operation: OperationModel): string {
  if (operation.securitySchemes.length === 0) return 'null';
  return [...new Set(operation.securitySchemes)].map((s) => `AuthSchemes['${s}']`).join(' | ');
}

function bodyType(operation: OperationModel, source: string): string {
  const body = operation.requestBody;
  if (!body) return 'undefined';
  const mediaType = body.contentTypes.includes(JSON_MEDIA_TYPE) ? JSON_MEDIA_TYPE : body.contentTypes[0];
  const type = `NonNullable<${source}['requestBody']>['content']['${mediaType}']`;
  return body.required ? type : `${type} | undefined`;
}

function resultType(response: ResponseModel, source: string): string {
  const status = response.status;
  if (response.contentTypes.length === 0) return `{ status: ${status}; body?: undefined; headers?: Record<string, string> }`;
  if (response.contentTypes.includes(JSON_MEDIA_TYPE)) {
    return `{ status: ${status}; body: ${source}['responses'][${status}]['content']['${JSON_MEDIA_TYPE}']; headers?: Record<string, string> }`;
  }
  const contentTypes = response.contentTypes.map((t) => `'${t}'`).join(' | ');
  return `{ status: ${status}; body: Uint8Array; contentType: ${contentTypes}; headers?: Record<string, string> }`;
}

function emitOperationMeta(w: CodeWriter, operation: OperationModel): void {
  w.block(`${operation.id}: {`, () => {
    w.line(`id: '${operation.id}',`);
    w.line(`method: '${operation.method}',`);
    w.line(`path: '${operation.path}',`);
    w.line(`securitySchemes: [${operation.securitySchemes.map((s) => `'${s}'`).join(', ')}],`);
    const successStatuses = operation.responses.filter((r) => r.status.startsWith('2')).map((r) => Number(r.status));
    w.line(`successStatuses: [${successStatuses.join(', ')}],`);
  }, '},');
}

/** Converts an OpenAPI path template (`/v1/visits/{id}`) to an Express 5 route (`/v1/visits/:id`). */
export function expressPath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}
