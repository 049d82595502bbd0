import type { ApiModel } from '../model';
import { planSdk, type SdkMethod } from '../sdk/plan';
import { CodeWriter } from './code-writer';
import { generatedHeader } from './header';
import { SDK_GENERATED_FOLDER } from './sdk-client';

export const SDK_RESOURCES_PATH = `${SDK_GENERATED_FOLDER}/resources.gen.ts`;

/**
 * Emits the SDK's resource map: for `VisitorFlow`, one object per tag with a method per
 * operation; for `KioskClient`, its methods. Every method calls the hey-api SDK function of its
 * operation through the hand-written `Caller`, which adds retries, errors and pagination.
 */
export function emitSdkResources(model: ApiModel): string {
  const plan = planSdk(model);
  const w = new CodeWriter();
  w.line(generatedHeader('//'));
  w.line("import type { BinaryBody } from '../internal/binary.js';");
  w.line("import { toBlob } from '../internal/binary.js';");
  w.line("import type { Caller, RequestOptions } from '../internal/caller.js';");
  w.line("import type { PagePromise } from '../pagination.js';");
  w.line("import * as sdk from './sdk.gen.js';");
  w.line("import type * as types from './types.gen.js';");
  w.line();

  w.doc('Creates the resources of `VisitorFlow`, one property per tag of openapi.yaml.');
  w.block('export function createResources(call: Caller) {', () => {
    w.block('return {', () => {
      for (const [resource, methods] of plan.resources) {
        const tag = methods[0]?.operation.tags[0] ?? resource;
        w.doc(`Operations tagged "${tag}".`);
        w.block(`${resource}: {`, () => methods.forEach((method) => emitMethod(w, method)), '},');
      }
    }, '};');
  });
  w.line();
  w.doc('The resources of `VisitorFlow`.');
  w.line('export type Resources = ReturnType<typeof createResources>;');
  w.line();

  w.doc('Creates the methods of `KioskClient`, the operations a paired kiosk calls with its device token.');
  w.block('export function createKioskMethods(call: Caller) {', () => {
    w.block('return {', () => plan.kiosk.forEach((method) => emitMethod(w, method)), '};');
  });
  w.line();
  w.doc('The generated methods of `KioskClient`.');
  w.line('export type KioskMethods = ReturnType<typeof createKioskMethods>;');
  w.line();

  w.doc('Every SDK method with the operation it calls, for documentation and tests.');
  w.block('export const sdkOperations = [', () => {
    const all = [...[...plan.resources.values()].flat(), ...plan.kiosk];
    for (const method of all) {
      const client = method.resource === '' ? 'KioskClient' : 'VisitorFlow';
      const member = method.resource === '' ? method.name : `${method.resource}.${method.name}`;
      const { id, path } = method.operation;
      w.line(`{ client: '${client}', member: '${member}', operationId: '${id}', method: '${method.operation.method.toUpperCase()}', path: '${path}' },`);
    }
  }, '] as const;');
  return w.toString();
}

function emitMethod(w: CodeWriter, method: SdkMethod): void {
  const { operation } = method;
  const data = `types.${pascal(operation.id)}Data`;
  const parameters: string[] = [];
  const fields = ['...init'];

  const pathFields = method.pathParameters.map((name) => {
    parameters.push(`${identifier(name)}: ${data}['path']['${name}']`);
    return identifier(name) === name ? name : `'${name}': ${identifier(name)}`;
  });
  if (pathFields.length > 0) fields.push(`path: { ${pathFields.join(', ')} }`);

  if (method.body === 'json') {
    parameters.push(`body${operation.requestBody?.required ? '' : '?'}: ${data}['body']`);
    fields.push('body');
  }
  if (method.body === 'binary') {
    parameters.push('body: BinaryBody', `contentType: ${method.binaryTypes.map((t) => `'${t}'`).join(' | ')}`);
    fields.push('body: toBlob(body, contentType)', "headers: { ...init.headers, 'Content-Type': contentType }");
  }
  if (method.hasQuery) {
    parameters.push(`query${method.queryRequired ? '' : '?'}: ${data}['query']`);
    fields.push(method.result === 'list' ? 'query: { ...query, cursor }' : 'query');
  }
  parameters.push('options?: RequestOptions');
  if (method.result === 'binary') fields.push("parseAs: 'arrayBuffer'");

  const call = `sdk.${operation.id}({ ${fields.join(', ')} })`;
  const [helper, returns, callback] = {
    json: ['json', `Promise<types.${pascal(operation.id)}Response>`, '(init)'],
    list: ['list', `PagePromise<types.${pascal(operation.id)}Response>`, '(init, cursor)'],
    binary: ['binary', 'Promise<Uint8Array>', '(init)'],
    empty: ['empty', 'Promise<void>', '(init)'],
  }[method.result];

  w.doc(operation.summary, `\`${operation.method.toUpperCase()} ${operation.path}\` (${operation.id})`);
  w.line(`${method.name}: (${parameters.join(', ')}): ${returns} =>`);
  w.line(`  call.${helper}(${callback} => ${call}, options),`);
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Turns a path parameter name such as `visit-id` into an argument name (`visitId`). */
function identifier(name: string): string {
  return name.replace(/[^A-Za-z0-9]+(.)/g, (_, next: string) => next.toUpperCase()).replace(/^[^A-Za-z_]/, '_$&');
}
