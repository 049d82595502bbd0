import type { ApiModel } from '../model';
import { generatedHeader } from './header';

/**
 * Emits the contract as a TypeScript module, so the request validator and
 * `GET /v1/openapi.json` serve exactly the spec the types were generated from.
 */
export function emitServerSpec(model: ApiModel): string {
  const json = JSON.stringify(model.document, null, 2);
  return [
    generatedHeader('//'),
    '/** The OpenAPI document of this API, as plain JSON. */',
    `export const openApiDocument = ${json} as const;`,
    '',
  ].join('\n');
}
