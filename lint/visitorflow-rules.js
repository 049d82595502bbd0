// VisitorFlow's own lint rules for openapi.yaml, loaded by redocly.yaml. Each rule states one
// convention of this API that the built-in rules cannot express.

const PROBLEM = 'application/problem+json';
const ERROR_STATUSES_EVERY_AUTHENTICATED_OPERATION_DOCUMENTS = ['400', '401', '429'];

/** Returns the node a `$ref` points to, or the node itself. */
function resolved(node, ctx) {
  if (node && typeof node === 'object' && typeof node.$ref === 'string') return ctx.resolve(node).node;
  return node;
}

function isPublic(operation, root) {
  const security = operation.security ?? root.security ?? [];
  return security.length === 0;
}

const rules = {
  // Every operation has an operationId, a summary and at least one tag.
  'operation-basics': () => ({
    Operation(operation, { report, location }) {
      for (const field of ['operationId', 'summary']) {
        if (!operation[field]) report({ message: `Every operation needs a ${field}.`, location });
      }
      if (!Array.isArray(operation.tags) || operation.tags.length === 0) report({ message: 'Every operation needs at least one tag.', location });
    },
  }),

  // Every 4xx or 5xx response of an authenticated operation is a problem document. Public
  // routes are exempt: /readyz returns 503 with its readiness report.
  'errors-are-problems': () => {
    let document;
    return {
      Root: { enter(root) { document = root; } },
      Operation(operation, ctx) {
        if (isPublic(operation, document ?? {})) return;
        const responses = operation.responses ?? {};
        for (const [status, raw] of Object.entries(responses)) {
          if (!/^[45]/.test(status)) continue;
          const response = resolved(raw, ctx);
          const content = response?.content ?? {};
          if (!(PROBLEM in content)) {
            ctx.report({ message: `Error response ${status} must be ${PROBLEM} (the Problem schema).`, location: ctx.location.child(['responses', status]) });
          }
        }
      },
    };
  },

  'authenticated-operations-document-errors': () => {
    let document;
    return {
      Root: { enter(root) { document = root; } },
      Operation(operation, { report, location }) {
        if (isPublic(operation, document ?? {})) return;
        const missing = ERROR_STATUSES_EVERY_AUTHENTICATED_OPERATION_DOCUMENTS.filter((status) => !(status in (operation.responses ?? {})));
        if (missing.length > 0) report({ message: `Authenticated operations must document ${missing.join(', ')}.`, location: location.child(['responses']) });
      },
    };
  },

  // JSON request bodies carry an example, so the reference shows a request that works.
  'request-body-example': () => ({
    RequestBody(body, ctx) {
      for (const [mediaType, media] of Object.entries(body.content ?? {})) {
        if (!mediaType.endsWith('json')) continue;
        if (media.example === undefined && media.examples === undefined) {
          ctx.report({ message: `The ${mediaType} request body needs an example or examples.`, location: ctx.location.child(['content', mediaType]) });
        }
      }
    },
  }),

  // Lists return the envelope { data: [...], next_cursor }, never a bare array.
  'list-envelope': () => ({
    Operation(operation, ctx) {
      const ok = resolved(operation.responses?.['200'], ctx);
      const schema = resolved(ok?.content?.['application/json']?.schema, ctx);
      if (!schema) return;
      const isList = /^(list|search)[A-Z]/.test(operation.operationId ?? '');
      if (schema.type === 'array') {
        ctx.report({ message: 'Return lists in the envelope { data, next_cursor }, not as a bare array.', location: ctx.location.child(['responses', '200']) });
        return;
      }
      if (!isList) return;
      const required = schema.required ?? [];
      const data = resolved(schema.properties?.data, ctx);
      if (!required.includes('data') || !required.includes('next_cursor') || data?.type !== 'array') {
        ctx.report({ message: `${operation.operationId} must return the list envelope: required data (an array) and next_cursor.`, location: ctx.location.child(['responses', '200']) });
      }
    },
  }),

  // Object ids and timestamps use the shared components (LocationId, Timestamp, ...), so their format is defined once.
  'shared-ids-and-timestamps': () => ({
    NamedSchemas: {
      Schema(schema, ctx) {
        for (const [name, property] of Object.entries(schema.properties ?? {})) {
          // request_id traces a request in the logs; it is not the id of an API object.
          if (name === 'request_id') continue;
          const isId = name === 'id' || name.endsWith('_id');
          const isTime = name.endsWith('_at');
          if (!isId && !isTime) continue;
          if (usesComponent(property)) continue;
          const kind = isId ? 'an id component such as VisitId' : 'Timestamp or NullableTimestamp';
          ctx.report({ message: `Property "${name}" must use ${kind} ($ref), optionally in oneOf with null.`, location: ctx.location.child(['properties', name]) });
        }
      },
    },
  }),
};

/** True for `$ref` to a component, or `oneOf`/`anyOf` of such a ref and `type: 'null'`. */
function usesComponent(property) {
  if (typeof property?.$ref === 'string') return true;
  const branches = property?.oneOf ?? property?.anyOf;
  return Array.isArray(branches) && branches.some((branch) => typeof branch.$ref === 'string') && branches.every((branch) => typeof branch.$ref === 'string' || branch.type === 'null');
}

export default function visitorflowRules() {
  return { id: 'visitorflow', rules: { oas3: rules } };
}
