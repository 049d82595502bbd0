/**
 * The one error type of the HTTP layer. Handlers throw it; the final error handler renders it
 * as `application/problem+json` (RFC 9457) with the `error` and `issues.fieldErrors` members
 * that the published API reference promises.
 */

export type FieldErrors = Record<string, string[]>;

export interface ProblemInit {
  status: number;
  /** Last part of the problem type URI, such as `invalid-payload`. */
  code: string;
  /** Short, stable summary; also sent as `error`. */
  title: string;
  /** What went wrong in this request and how to fix it. */
  detail?: string;
  fieldErrors?: FieldErrors;
  headers?: Record<string, string>;
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  error: string;
  issues?: { fieldErrors: FieldErrors };
  request_id: string;
}

export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly fieldErrors: FieldErrors | undefined;
  readonly headers: Record<string, string>;

  constructor(init: ProblemInit) {
    super(init.detail ?? init.title);
    this.name = 'HttpError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.fieldErrors = init.fieldErrors;
    this.headers = init.headers ?? {};
  }

  toProblem(requestId: string, instance?: string): ProblemDocument {
    const problem: ProblemDocument = {
      type: `urn:visitorflow:problem:${this.code}`,
      title: this.title,
      status: this.status,
      error: this.title,
      request_id: requestId,
    };
    if (this.detail !== undefined) problem.detail = this.detail;
    if (instance !== undefined) problem.instance = instance;
    if (this.fieldErrors !== undefined) problem.issues = { fieldErrors: this.fieldErrors };
    return problem;
  }
}

/** 400 for input that breaks the contract; each field path maps to its messages. */
export function invalidPayload(fieldErrors: FieldErrors): HttpError {
  const detail = Object.entries(fieldErrors)
    .map(([field, messages]) => `${field}: ${messages.join('; ')}`)
    .join('. ');
  return new HttpError({ status: 400, code: 'invalid-payload', title: 'Invalid payload', detail, fieldErrors });
}

/** 400 for one invalid field. */
export function invalidField(field: string, message: string): HttpError {
  return invalidPayload({ [field]: [message] });
}

export function unauthorized(detail: string): HttpError {
  return new HttpError({ status: 401, code: 'unauthorized', title: 'Bearer token missing or expired', detail });
}

/** 404 for an id that does not exist in the caller's tenant and mode (another tenant's id included). */
export function notFound(kind: string, id: string): HttpError {
  return new HttpError({ status: 404, code: 'not-found', title: 'Not found', detail: `No ${kind} with id "${id}".` });
}

export function conflict(detail: string): HttpError {
  return new HttpError({ status: 409, code: 'conflict', title: 'Conflict', detail });
}

export function notImplemented(operationId: string): HttpError {
  return new HttpError({
    status: 501,
    code: 'not-implemented',
    title: 'Not implemented',
    detail: `Operation ${operationId} is in the contract but has no handler yet.`,
  });
}
