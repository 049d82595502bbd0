/**
 * The generator's typed view of `openapi.yaml`. The parser builds it once; every emitter reads
 * only this model, so a new emitter never has to walk the raw YAML itself.
 */

export type HttpMethod = 'get' | 'put' | 'post' | 'patch' | 'delete' | 'head' | 'options';

export const HTTP_METHODS: readonly HttpMethod[] = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

/** A JSON Schema object exactly as written in the spec, `$ref`s left in place. */
export type JsonSchema = { [key: string]: unknown };

export interface ParameterModel {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  description: string | undefined;
  schema: JsonSchema;
}

export interface RequestBodyModel {
  required: boolean;
  /** Media types accepted, in spec order; `application/json` for most operations. */
  contentTypes: string[];
  /** The schema of each media type, keyed by media type, `$ref`s left in place. */
  schemas: Record<string, JsonSchema>;
  description: string | undefined;
}

export interface ResponseModel {
  /** The status code as written in the spec: `'201'`, or `'default'`. */
  status: string;
  description: string;
  contentTypes: string[];
  /** True when the response is an error document (`application/problem+json`). */
  isProblem: boolean;
  /** The schema of each media type, keyed by media type, `$ref`s left in place. */
  schemas: Record<string, JsonSchema>;
}

export interface OperationModel {
  id: string;
  method: HttpMethod;
  /** The OpenAPI path template, such as `/v1/visits/{id}`. */
  path: string;
  tags: string[];
  summary: string | undefined;
  description: string | undefined;
  /** The security scheme names any one of which authorizes the call; empty for a public route. */
  securitySchemes: string[];
  parameters: ParameterModel[];
  requestBody: RequestBodyModel | undefined;
  responses: ResponseModel[];
  /** The SDK method name from the `x-sdk-method` extension, overriding the derived one. */
  sdkMethod: string | undefined;
  /** JSON pointer of the operation in the spec, for messages. */
  pointer: string;
}

export interface ApiModel {
  title: string;
  version: string;
  /** The whole document as plain JSON, for emitters that serve or convert it as it is. */
  document: JsonSchema;
  operations: OperationModel[];
  schemas: Record<string, JsonSchema>;
}
