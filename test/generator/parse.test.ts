import { describe, expect, it } from 'vitest';

import { parseModel } from '../../generator/src/parse';
import { SpecError, type SpecProblem } from '../../generator/src/problems';

/** The lines every spec below starts with: a valid OpenAPI 3.1 header and one security scheme. */
const HEADER = `openapi: 3.1.0
info:
  title: Tiny
  version: 1.0.0
components:
  securitySchemes:
    apiKey:
      type: http
      scheme: bearer
security:
  - apiKey: []
`;

/** Parses a spec that must be invalid and returns the problems its SpecError carries. */
function problemsOf(text: string): SpecProblem[] {
  try {
    parseModel(text);
  } catch (error) {
    if (error instanceof SpecError) return error.problems;
    throw error;
  }
  throw new Error('parseModel accepted a spec that should be invalid');
}

/** Returns the 1-based number of the first line of `text` that contains `needle`. */
function lineNumberOf(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

describe('parseModel on a valid spec', () => {
  const model = parseModel(`${HEADER}
paths:
  /v1/things/{thingId}:
    parameters:
      - name: thingId
        in: path
        required: true
        schema: { type: string }
      - name: expand
        in: query
        schema: { type: boolean }
    get:
      operationId: retrieveThing
      tags: [Things]
      parameters:
        - name: expand
          in: query
          required: true
          schema: { type: string }
        - name: fields
          in: query
          schema: { type: string }
      responses:
        '200':
          description: The thing.
          content:
            application/json:
              schema: { type: object }
        '404':
          description: No such thing.
          content:
            application/problem+json:
              schema: { type: object }
    delete:
      operationId: deleteThing
      security: []
      responses:
        '204':
          description: Deleted.
`);
  const retrieve = model.operations.find((operation) => operation.id === 'retrieveThing');
  const remove = model.operations.find((operation) => operation.id === 'deleteThing');

  it('lists operations in spec order', () => {
    expect(model.operations.map((operation) => operation.id)).toEqual(['retrieveThing', 'deleteThing']);
  });

  it('keeps method and path', () => {
    expect(retrieve).toMatchObject({ method: 'get', path: '/v1/things/{thingId}', pointer: '#/paths/~1v1~1things~1{thingId}/get' });
  });

  it('applies global security by default', () => {
    expect(retrieve?.securitySchemes).toEqual(['apiKey']);
  });

  it('treats empty security as public', () => {
    expect(remove?.securitySchemes).toEqual([]);
  });

  it('merges path and operation parameters', () => {
    const parameters = retrieve?.parameters.map((p) => `${p.in}:${p.name}:${p.required}:${String(p.schema.type)}`);
    // The operation's own "expand" replaces the path-level one: required, and a string, not a boolean.
    expect(parameters).toEqual(['path:thingId:true:string', 'query:expand:true:string', 'query:fields:false:string']);
  });

  it('inherits path parameters without overrides', () => {
    expect(remove?.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(['path:thingId', 'query:expand']);
  });

  it('marks problem+json responses', () => {
    const responses = retrieve?.responses.map((r) => ({ status: r.status, contentTypes: r.contentTypes, isProblem: r.isProblem }));
    expect(responses).toEqual([
      { status: '200', contentTypes: ['application/json'], isProblem: false },
      { status: '404', contentTypes: ['application/problem+json'], isProblem: true },
    ]);
  });

  it('keeps contentless responses empty', () => {
    expect(remove?.responses).toEqual([{ status: '204', description: 'Deleted.', contentTypes: [], isProblem: false, schemas: {} }]);
  });
});

describe('parseModel problems', () => {
  it('reports missing operationId', () => {
    const problems = problemsOf(`${HEADER}
paths:
  /things:
    get:
      responses:
        '200': { description: OK }
`);
    expect(problems).toContainEqual({
      path: '#/paths/~1things/get/operationId',
      message: 'Every operation needs an operationId in lowerCamelCase, such as "createVisit".',
    });
  });

  it('reports non-camelCase operationId', () => {
    const problems = problemsOf(`${HEADER}
paths:
  /things:
    get:
      operationId: list_things
      responses:
        '200': { description: OK }
`);
    expect(problems).toContainEqual({
      path: '#/paths/~1things/get/operationId',
      message: 'Every operation needs an operationId in lowerCamelCase, such as "createVisit".',
    });
  });

  it('reports duplicate operationId', () => {
    const problems = problemsOf(`${HEADER}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200': { description: OK }
  /other-things:
    get:
      operationId: listThings
      responses:
        '200': { description: OK }
`);
    expect(problems).toEqual([
      {
        path: '#/paths/~1other-things/get/operationId',
        message: 'operationId "listThings" is already used by #/paths/~1things/get.',
      },
    ]);
  });

  it('reports undeclared path parameter', () => {
    const problems = problemsOf(`${HEADER}
paths:
  /things/{thingId}:
    get:
      operationId: retrieveThing
      responses:
        '200': { description: OK }
`);
    expect(problems).toContainEqual({
      path: '#/paths/~1things~1{thingId}/get',
      message: 'Path parameter "{thingId}" is not declared in parameters.',
    });
  });

  it('reports path parameter not required', () => {
    const problems = problemsOf(`${HEADER}
paths:
  /things/{thingId}:
    get:
      operationId: retrieveThing
      parameters:
        - name: thingId
          in: path
          schema: { type: string }
      responses:
        '200': { description: OK }
`);
    expect(problems).toContainEqual({
      path: '#/paths/~1things~1{thingId}/get/parameters/0',
      message: 'Path parameter "thingId" must be marked required: true.',
    });
  });

  it('reports unresolvable $ref', () => {
    const problems = problemsOf(`${HEADER}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Missing' }
`);
    expect(problems).toContainEqual({
      path: '#/paths/~1things/get/responses/200/content/application~1json/schema/$ref',
      message: '"#/components/schemas/Missing" does not exist.',
    });
  });

  it('reports non-local $ref', () => {
    const problems = problemsOf(`${HEADER}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: { $ref: 'common.yaml#/Thing' }
`);
    expect(problems).toContainEqual({
      path: '#/paths/~1things/get/responses/200/content/application~1json/schema/$ref',
      message: 'Only local references are supported, found "common.yaml#/Thing".',
    });
  });

  it('reports unknown security scheme', () => {
    const problems = problemsOf(`${HEADER}
paths:
  /things:
    get:
      operationId: listThings
      security:
        - oauth: []
      responses:
        '200': { description: OK }
`);
    expect(problems).toContainEqual({
      path: '#/paths/~1things/get/security',
      message: 'Security scheme "oauth" is not defined in components.securitySchemes.',
    });
  });

  it('reports operation without 2xx', () => {
    const problems = problemsOf(`${HEADER}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '404': { description: Not found }
`);
    expect(problems).toContainEqual({
      path: '#/paths/~1things/get/responses',
      message: 'Every operation needs a 2xx response.',
    });
  });

  it('reports OpenAPI version not 3.1', () => {
    const problems = problemsOf(`${HEADER.replace('openapi: 3.1.0', 'openapi: 3.0.3')}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200': { description: OK }
`);
    expect(problems).toEqual([{ path: '#/openapi', message: 'Expected an OpenAPI 3.1 document, found "3.0.3".' }]);
  });

  it('reports YAML syntax error', () => {
    const text = `${HEADER}
paths:
  /things:
    get:
      operationId: [listThings
      responses:
        '200': { description: OK }
`;
    const problems = problemsOf(text);
    // The parser notices the unclosed "[" on the line after it.
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe(`line ${lineNumberOf(text, 'responses:')}`);
    expect(problems[0]?.message).toMatch(/^Flow sequence in block collection must .* end with a \]/);
  });

  it('reports duplicate YAML key', () => {
    const text = `${HEADER}
paths:
  /things:
    get:
      operationId: listThings
      operationId: listOtherThings
      responses:
        '200': { description: OK }
`;
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe(`line ${lineNumberOf(text, 'operationId: listOtherThings')}`);
    expect(problems[0]?.message).toMatch(/^Map keys must be unique/);
  });

  it('reports every problem, not first', () => {
    const problems = problemsOf(`${HEADER.replace('openapi: 3.1.0', 'openapi: 3.0.3')}
paths:
  /things/{thingId}:
    get:
      operationId: ListThings
      responses:
        '200': { description: OK }
    post:
      operationId: createThing
      parameters:
        - name: thingId
          in: path
          required: true
      security:
        - oauth: []
      responses:
        '400': { description: Bad }
`);
    expect(problems.map((problem) => problem.path)).toEqual([
      '#/openapi',
      '#/paths/~1things~1{thingId}/get/operationId',
      '#/paths/~1things~1{thingId}/post/security',
      '#/paths/~1things~1{thingId}/post/responses',
    ]);
  });
});

describe('SDK extensions', () => {
  const spec = (extension: string) => `openapi: 3.1.0
info: { title: Sdk, version: 1.0.0 }
paths:
  /things/{id}.png:
    get:
      operationId: getThingPicture
      ${extension}
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses: { '200': { description: The picture., content: { image/png: { schema: { type: string } } } } }
`;

  it('reads x-sdk-method', () => {
    const model = parseModel(spec('x-sdk-method: picturePng'));
    expect(model.operations[0]?.sdkMethod).toBe('picturePng');
  });

  it('rejects an invalid x-sdk-method', () => {
    expect(() => parseModel(spec('x-sdk-method: picture_png'))).toThrow(
      '#/paths/~1things~1{id}.png/get/x-sdk-method: x-sdk-method must be a lowerCamelCase method name, such as "qrPng", found "picture_png".',
    );
  });

  it('keeps response schemas by media type', () => {
    const model = parseModel(spec(''));
    expect(model.operations[0]?.responses[0]?.schemas).toEqual({ 'image/png': { type: 'string' } });
  });
});
