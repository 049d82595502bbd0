import type { Handlers } from '../../generated/operations.gen';
import { openApiDocument } from '../../generated/spec.gen';

/** GET /v1/openapi.json: the contract this server was generated from. */
export const getOpenApiDocument: Handlers['getOpenApiDocument'] = async () => {
  return { status: 200, body: openApiDocument };
};
