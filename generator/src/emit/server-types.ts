import openapiTS, { astToString } from 'openapi-typescript';

import type { ApiModel } from '../model';
import { generatedHeader } from './header';

/** Emits the spec's TypeScript types (paths, operations, components) with openapi-typescript. */
export async function emitServerTypes(model: ApiModel): Promise<string> {
  // openapi-typescript mutates the document it is given, so it gets a copy.
  const document = structuredClone(model.document);
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], {
    alphabetize: false,
    additionalProperties: false,
  });
  return generatedHeader('//') + '\n' + astToString(ast);
}
