import { describe, expect, it } from 'vitest';

import { diffContracts } from '../../generator/src/contract/diff';
import { parseModel } from '../../generator/src/parse';

/**
 * Builds a one-operation spec: POST /things with a request body schema and a 201 response
 * schema, plus optional parameters and security. Each rule below changes one part of it.
 */
function spec(parts: { request?: object; response?: object; parameters?: object[]; security?: object[]; extraPaths?: object; status?: string } = {}): string {
  const document = {
    openapi: '3.1.0',
    info: { title: 'Diff fixture', version: '1.0.0' },
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
    security: [{ apiKey: [] }],
    paths: {
      '/things': {
        post: {
          operationId: 'createThing',
          ...(parts.security ? { security: parts.security } : {}),
          parameters: parts.parameters ?? [{ name: 'mode', in: 'query', schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/json': { schema: parts.request ?? REQUEST } } },
          responses: { [parts.status ?? '201']: { description: 'Created', content: { 'application/json': { schema: parts.response ?? RESPONSE } } } },
        },
      },
      ...(parts.extraPaths ?? {}),
    },
  };
  return JSON.stringify(document);
}

const REQUEST = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', maxLength: 100, minLength: 1 },
    size: { type: 'integer', minimum: 1, maximum: 10 },
    color: { type: 'string', enum: ['red', 'blue'] },
    note: { type: 'string' },
  },
};

const RESPONSE = {
  type: 'object',
  required: ['id', 'status', 'name'],
  properties: {
    id: { type: 'string' },
    status: { type: 'string', enum: ['open', 'closed'] },
    name: { type: 'string' },
    count: { type: 'integer' },
  },
};

const GET_OTHER = { '/other': { get: { operationId: 'getOther', parameters: [], responses: { '200': { description: 'OK' } } } } };

function findings(released: string, current: string) {
  return diffContracts(parseModel(released), parseModel(current)).map((f) => ({ severity: f.severity, rule: f.rule, path: f.path }));
}

const ROOT = '$.paths["/things"].post';

const breakingCases: [string, string, string, string][] = [
  ['a removed path', spec({ extraPaths: GET_OTHER }), spec(), 'path-removed'],
  ['a removed operation', spec(), JSON.stringify({ ...JSON.parse(spec()), paths: { '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'OK' } } } } } }), 'operation-removed'],
  ['a removed response field', spec(), spec({ response: { ...RESPONSE, properties: { id: RESPONSE.properties.id, status: RESPONSE.properties.status, name: RESPONSE.properties.name } } }), 'response-field-removed'],
  ['a removed response enum value', spec(), spec({ response: { ...RESPONSE, properties: { ...RESPONSE.properties, status: { type: 'string', enum: ['open'] } } } }), 'response-enum-removed'],
  ['a removed parameter', spec(), spec({ parameters: [] }), 'parameter-removed'],
  ['a parameter made required', spec(), spec({ parameters: [{ name: 'mode', in: 'query', required: true, schema: { type: 'string' } }] }), 'parameter-required'],
  ['a request field made required', spec(), spec({ request: { ...REQUEST, required: ['name', 'note'] } }), 'request-field-required'],
  ['a narrowed input type', spec(), spec({ request: { ...REQUEST, properties: { ...REQUEST.properties, note: { type: 'integer' } } } }), 'request-type-narrowed'],
  ['an added input format', spec(), spec({ request: { ...REQUEST, properties: { ...REQUEST.properties, note: { type: 'string', format: 'email' } } } }), 'request-format-changed'],
  ['an added input pattern', spec(), spec({ request: { ...REQUEST, properties: { ...REQUEST.properties, note: { type: 'string', pattern: '^a' } } } }), 'request-pattern-changed'],
  ['a lowered input maximum', spec(), spec({ request: { ...REQUEST, properties: { ...REQUEST.properties, size: { type: 'integer', minimum: 1, maximum: 5 } } } }), 'request-maximum-lowered'],
  ['a raised input minimum', spec(), spec({ request: { ...REQUEST, properties: { ...REQUEST.properties, size: { type: 'integer', minimum: 2, maximum: 10 } } } }), 'request-minimum-raised'],
  ['a lowered input max length', spec(), spec({ request: { ...REQUEST, properties: { ...REQUEST.properties, name: { type: 'string', maxLength: 50, minLength: 1 } } } }), 'request-max-length-lowered'],
  ['a narrowed input enum', spec(), spec({ request: { ...REQUEST, properties: { ...REQUEST.properties, color: { type: 'string', enum: ['red'] } } } }), 'request-enum-narrowed'],
  ['a changed response field type', spec(), spec({ response: { ...RESPONSE, properties: { ...RESPONSE.properties, count: { type: 'string' } } } }), 'response-type-changed'],
  ['a removed success status', spec(), spec({ status: '200' }), 'response-status-removed'],
  ['a response field made optional', spec(), spec({ response: { ...RESPONSE, required: ['id', 'status'] } }), 'response-field-optional'],
  ['a response field made nullable', spec(), spec({ response: { ...RESPONSE, properties: { ...RESPONSE.properties, name: { type: ['string', 'null'] } } } }), 'response-field-nullable'],
  ['a changed authentication', spec({ security: [] }), spec(), 'security-changed'],
  ['a removed request field', spec(), spec({ request: { ...REQUEST, properties: { name: REQUEST.properties.name, size: REQUEST.properties.size, color: REQUEST.properties.color } } }), 'request-field-removed'],
];

describe('contract diff', () => {
  it.each(breakingCases)('flags %s', (_name, released, current, rule) => {
    const result = findings(released, current);

    expect(result.filter((f) => f.severity === 'breaking').map((f) => f.rule)).toContain(rule);
  });

  it('names the JSON path of a change', () => {
    const result = findings(spec(), spec({ response: { ...RESPONSE, required: ['id', 'status'] } }));

    expect(result).toContainEqual({ severity: 'breaking', rule: 'response-field-optional', path: `${ROOT}.responses["201"].name` });
  });

  it.each([
    ['a new operation', spec(), spec({ extraPaths: GET_OTHER }), 'operation-added'],
    ['a new optional input field', spec(), spec({ request: { ...REQUEST, properties: { ...REQUEST.properties, extra: { type: 'string' } } } }), 'request-field-added'],
    ['a new response field', spec(), spec({ response: { ...RESPONSE, properties: { ...RESPONSE.properties, extra: { type: 'string' } } } }), 'response-field-added'],
    ['a new response enum value', spec(), spec({ response: { ...RESPONSE, properties: { ...RESPONSE.properties, status: { type: 'string', enum: ['open', 'closed', 'archived'] } } } }), 'response-enum-added'],
    ['a new optional parameter', spec(), spec({ parameters: [{ name: 'mode', in: 'query', schema: { type: 'string' } }, { name: 'q', in: 'query', schema: { type: 'string' } }] }), 'parameter-added'],
    ['a widened input bound', spec(), spec({ request: { ...REQUEST, properties: { ...REQUEST.properties, size: { type: 'integer', minimum: 0, maximum: 20 } } } }), undefined],
  ])('passes %s as additive', (_name, released, current, rule) => {
    const result = findings(released, current);

    expect(result.filter((f) => f.severity === 'breaking')).toEqual([]);
    if (rule) expect(result.map((f) => f.rule)).toContain(rule);
  });

  it('finds nothing in an unchanged spec', () => {
    expect(findings(spec(), spec())).toEqual([]);
  });

  it('accepts the current contract against itself', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL('../../openapi.yaml', import.meta.url), 'utf8');

    expect(findings(text, text)).toEqual([]);
  });
});
