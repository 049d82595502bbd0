import * as OpenApiValidator from 'express-openapi-validator';
import type { RequestHandler } from 'express';

import { HttpError, invalidPayload, type FieldErrors } from './problem';

export interface ValidationOptions {
  /** The bundled OpenAPI document. */
  document: object;
  /** Also check every JSON response against the contract (on while tests run). */
  validateResponses: boolean;
}

/** express-openapi-validator, set up to reject anything openapi.yaml does not describe. */
export function contractValidator(options: ValidationOptions): RequestHandler[] {
  return OpenApiValidator.middleware({
    apiSpec: options.document as Parameters<typeof OpenApiValidator.middleware>[0]['apiSpec'],
    validateApiSpec: true,
    validateRequests: { allowUnknownQueryParameters: false, coerceTypes: true, removeAdditional: false, allErrors: true },
    validateResponses: options.validateResponses ? { removeAdditional: false } : false,
    // API keys are checked by our own middleware, which runs first so a request without a key gets 401 before 400.
    validateSecurity: false,
    validateFormats: true,
    ignoreUndocumented: false,
  }) as RequestHandler[];
}

/** An error raised by express-openapi-validator: a status and a list of `{ path, message }`. */
interface ValidatorError {
  status: number;
  message: string;
  path?: string;
  headers?: Record<string, string>;
  errors: { path?: string; message: string; errorCode?: string }[];
}

export function isValidatorError(error: unknown): error is ValidatorError {
  const candidate = error as Partial<ValidatorError> | null;
  return typeof candidate?.status === 'number' && Array.isArray(candidate.errors);
}

// Fields a kiosk request may not name, because its device token already fixes them.
const KIOSK_IMPLIED_FIELDS = new Set(['tenant_id', 'tenant', 'location_id', 'location', 'mode']);

/** Converts a validator error into our problem shape, with dotted field paths for 400s. */
export function fromValidatorError(error: ValidatorError, requestPath = ''): HttpError {
  switch (error.status) {
    case 400: {
      const fieldErrors = fieldErrorsOf(error);
      if (requestPath.startsWith('/v1/kiosk/')) {
        for (const field of Object.keys(fieldErrors)) {
          if (KIOSK_IMPLIED_FIELDS.has(field.split('.').at(-1) ?? '')) {
            fieldErrors[field] = ['Not allowed on kiosk routes: the device token determines the tenant and location'];
          }
        }
      }
      return invalidPayload(fieldErrors);
    }
    case 404:
      return new HttpError({ status: 404, code: 'route-not-found', title: 'Not found', detail: 'No such route. See GET /v1/openapi.json for the routes this API serves.' });
    case 405:
      return new HttpError({
        status: 405,
        code: 'method-not-allowed',
        title: 'Method not allowed',
        detail: `${error.message}. Allowed: ${error.headers?.Allow ?? 'none'}.`,
        headers: error.headers?.Allow ? { allow: error.headers.Allow.toUpperCase() } : {},
      });
    case 413:
      return new HttpError({ status: 413, code: 'payload-too-large', title: 'Payload too large', detail: error.message });
    case 415:
      return new HttpError({
        status: 415,
        code: 'unsupported-media-type',
        title: 'Unsupported media type',
        detail: 'Send the request body as application/json.',
      });
    default:
      // A response that breaks the contract (500) or anything unforeseen: a server bug, logged by the caller.
      return new HttpError({ status: 500, code: 'internal', title: 'Internal server error' });
  }
}

function fieldErrorsOf(error: ValidatorError): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const item of error.errors) {
    // A failed oneOf repeats the errors of every branch, and the branch-specific ones are more precise.
    if (item.errorCode === 'oneOf.openapi.validation' && error.errors.length > 1) continue;
    const field = fieldPath(item.path ?? error.path ?? '', item.message);
    const message = humanMessage(item.message, item.errorCode);
    const messages = (fieldErrors[field] ??= []);
    if (!messages.includes(message)) messages.push(message);
  }
  return Object.keys(fieldErrors).length > 0 ? fieldErrors : { body: [error.message] };
}

/** `/body/visitor/email` → `visitor.email`; `/query/limit` → `limit`; `.body.x` (older form) likewise. */
export function fieldPath(path: string, message = ''): string {
  // The discriminator check reports the request path instead of the field: "'type' must be …".
  const named = /^'([\w.]+)' /.exec(message)?.[1];
  if (named && !/^\/(body|query|params|headers)\b/.test(path)) return named;
  const segments = path.split(/[/.]/).filter((s) => s !== '');
  const [location, ...rest] = segments;
  // Header names arrive in lower case; report them as the contract spells them (Idempotency-Key).
  if (location === 'headers' && rest.length > 0) return rest.join('.').replace(/(^|-)([a-z])/g, (_m, dash: string, ch: string) => dash + ch.toUpperCase());
  if (location && ['body', 'query', 'params', 'headers', 'path'].includes(location)) {
    return rest.length > 0 ? rest.join('.') : location;
  }
  return segments.join('.') || 'body';
}

function humanMessage(message: string, errorCode: string | undefined): string {
  if (errorCode === 'format.openapi.validation') {
    const format = /"([^"]+)"/.exec(message)?.[1];
    return format === 'email' ? 'Invalid email' : `Invalid ${format ?? 'format'}`;
  }
  if (errorCode === 'additionalProperties.openapi.validation') return 'Unknown field';
  if (errorCode === 'required.openapi.validation') return 'Required';
  if (message === 'must NOT have fewer than 1 characters') return 'Must not be empty';
  const allowed = /must be equal to one of the allowed values:? (.*)$/.exec(message)?.[1];
  if (allowed) return `Must be one of: ${allowed.replace(/\.$/, '')}`;
  if (/^Unknown query parameter/.test(message)) return 'Unknown query parameter';
  return message.charAt(0).toUpperCase() + message.slice(1);
}
