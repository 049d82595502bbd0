import fc from 'fast-check';

import type { JsonSchema } from '../generator/src/model';
import type { FuzzOperation, FuzzSpec } from './spec';
import { validValue } from './values';

/**
 * The kind of one generated request. `valid` and `edge` requests follow the documented flows,
 * and `edge` puts NUL bytes, odd Unicode or far-away dates into schema-valid fields. `invalid`
 * ones break the schema in exactly one place. `auth` ones send a missing or wrong credential,
 * and `method` ones use a method the path does not define.
 */
export type PlanKind = 'valid' | 'edge' | 'invalid' | 'auth' | 'method';

export interface Plan {
  kind: PlanKind;
  operationId: string;
  pathParams: Record<string, unknown>;
  query: Record<string, unknown>;
  /** The JSON value to send, or `{ image: … }` for a binary upload. */
  body: { mediaType: string; value: unknown } | undefined;
  idempotencyKey: boolean;
  /** Index of the model's credential to send, modulo the choices. */
  credential: number;
  /** Indexes of the mutation site and the bad value, modulo the choices found at send time. */
  mutation: { site: number; variant: number };
  /** For `method` plans: the method to send instead. */
  method: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const IMAGE_MEDIA_TYPES = new Set(['image/png', 'image/jpeg']);

/** True when a valid body can be generated for the operation (JSON or a kiosk photo), or it takes none. */
export function canGenerateBody(operation: FuzzOperation): boolean {
  const mediaTypes = Object.keys(operation.bodySchemas);
  return mediaTypes.length === 0 || mediaTypes.some((type) => type.endsWith('json') || IMAGE_MEDIA_TYPES.has(type));
}

/** Builds the arbitrary of plans over every operation of the spec. */
export function planArbitrary(spec: FuzzSpec): fc.Arbitrary<Plan> {
  const perOperation = spec.operations.map((operation) => requestParts(spec, operation));
  const secured = spec.operations.map((operation, index) => ({ operation, index })).filter(({ operation }) => operation.auth !== 'public');

  const partsOf = (index: number) => perOperation[index]!;
  const any = fc.nat(spec.operations.length - 1);
  const common = fc.record({
    idempotencyKey: fc.boolean(),
    credential: fc.nat(1000),
    mutation: fc.record({ site: fc.nat(1000), variant: fc.nat(1000) }),
    method: fc.constantFrom(...METHODS),
  });

  const withKind = (kind: PlanKind, indexes: fc.Arbitrary<number>) =>
    indexes.chain((index) =>
      fc.tuple(partsOf(index), common).map(([parts, rest]): Plan => ({ kind, operationId: spec.operations[index]!.id, ...parts, ...rest })),
    );

  return fc.oneof(
    { weight: 50, arbitrary: withKind('valid', any) },
    { weight: 10, arbitrary: withKind('edge', any) },
    { weight: 25, arbitrary: withKind('invalid', any) },
    { weight: 10, arbitrary: withKind('auth', secured.length > 0 ? fc.constantFrom(...secured.map((s) => s.index)) : any) },
    { weight: 5, arbitrary: withKind('method', any) },
  );
}

type Parts = Pick<Plan, 'pathParams' | 'query' | 'body'>;

function requestParts(spec: FuzzSpec, operation: FuzzOperation): fc.Arbitrary<Parts> {
  const pathModel: Record<string, fc.Arbitrary<unknown>> = {};
  const queryModel: Record<string, fc.Arbitrary<unknown>> = {};
  const optionalQuery: string[] = [];
  for (const parameter of operation.model.parameters) {
    // A path id names an existing object, so it gets no property name (a body `id` is a new object's own id).
    if (parameter.in === 'path') pathModel[parameter.name] = validValue(spec, parameter.schema);
    if (parameter.in !== 'query') continue;
    queryModel[parameter.name] = validValue(spec, parameter.schema, parameter.name);
    if (!parameter.required) optionalQuery.push(parameter.name);
  }

  return fc.record({
    pathParams: fc.record(pathModel),
    query: fc.record(queryModel, { requiredKeys: Object.keys(queryModel).filter((name) => !optionalQuery.includes(name)) }),
    body: bodyValue(spec, operation),
  });
}

function bodyValue(spec: FuzzSpec, operation: FuzzOperation): fc.Arbitrary<Plan['body']> {
  const entries = Object.entries(operation.bodySchemas).filter(([type]) => type.endsWith('json') || IMAGE_MEDIA_TYPES.has(type));
  if (entries.length === 0) {
    // Still send something for a body of a type the fuzzer cannot build, so the server's response is checked.
    const [first] = Object.keys(operation.bodySchemas);
    return fc.constant(first ? { mediaType: first, value: 'fuzz' } : undefined);
  }
  return fc.oneof(
    ...entries.map(([mediaType, schema]: [string, JsonSchema]) =>
      IMAGE_MEDIA_TYPES.has(mediaType) ? fc.constant({ mediaType, value: { image: mediaType } }) : validValue(spec, schema).map((value) => ({ mediaType, value })),
    ),
  );
}
