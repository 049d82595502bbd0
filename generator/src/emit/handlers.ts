import type { ApiModel, OperationModel } from '../model';
import { CodeWriter } from './code-writer';
import { generatedHeader } from './header';

/** Where an operation's hand-written handler lives, relative to `server/src/handlers/`. */
export function handlerModulePath(operation: OperationModel): string {
  const tag = operation.tags[0] ?? 'misc';
  const folder = tag.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
  return `${folder}/${operation.id}`;
}

/** Emits the table that binds every operationId to its hand-written handler module. */
export function emitHandlerTable(model: ApiModel): string {
  const w = new CodeWriter();
  w.line(generatedHeader('//'));
  w.line("import type { Handlers } from './operations.gen';");
  for (const operation of model.operations) {
    w.line(`import { ${operation.id} } from '../handlers/${handlerModulePath(operation)}';`);
  }
  w.line();
  w.doc('Every operation of openapi.yaml with the handler that serves it.');
  w.block('export const handlers: Handlers = {', () => {
    for (const operation of model.operations) w.line(`${operation.id},`);
  }, '};');
  return w.toString();
}

/**
 * Emits the first version of a handler module for an operation that has none: it type-checks
 * against the contract and answers 501 until someone fills it in. The file is hand-written
 * from then on, so the generator never overwrites it.
 */
export function emitHandlerStub(operation: OperationModel): string {
  const depth = handlerModulePath(operation).split('/').length;
  const up = '../'.repeat(depth);
  const w = new CodeWriter();
  w.line('// Created as a stub by `npm run generate`. This file is hand-written: fill in the handler.');
  w.line(`import type { Handlers } from '${up}generated/operations.gen';`);
  w.line(`import { notImplemented } from '${up}http/problem';`);
  w.line();
  const summary = (operation.summary ?? operation.id).replace(/\.$/, '');
  w.doc(`${operation.method.toUpperCase()} ${operation.path}: ${summary}.`);
  w.block(`export const ${operation.id}: Handlers['${operation.id}'] = async (c) => {`, () => {
    w.line(`// TODO: implement ${operation.id}; until then it answers 501 Not Implemented.`);
    w.line('throw notImplemented(c.operation.id);');
  }, '};');
  return w.toString();
}
