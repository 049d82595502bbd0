import type { NextFunction, Request, Response } from 'express';

import { newId } from '../ids';
import type { Logger } from '../log';
import type { ApiKeyAuth, KioskAuth } from './operation';

// An incoming x-request-id is kept when it looks like an id, so a caller's tracing id flows
// through the logs. Anything else is replaced, so log lines cannot be forged through it.
const ACCEPTED_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** Per-request state that middleware and handlers share, stored on `res.locals`. */
export interface RequestState {
  requestId: string;
  log: Logger;
  auth: ApiKeyAuth | KioskAuth | null;
  startedAt: bigint;
}

export function requestState(res: Response): RequestState {
  return res.locals as RequestState;
}

/** Assigns the request id, echoes it as `x-request-id`, and logs one line per finished request. */
export function requestContext(log: Logger) {
  return function assignRequestContext(req: Request, res: Response, next: NextFunction): void {
    const incoming = req.get('x-request-id');
    const requestId = incoming && ACCEPTED_REQUEST_ID.test(incoming) ? incoming : newId('req');
    const state = res.locals as RequestState;
    state.requestId = requestId;
    state.log = log.child({ request_id: requestId });
    state.auth = null;
    state.startedAt = process.hrtime.bigint();
    res.setHeader('x-request-id', requestId);

    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - state.startedAt) / 1e6;
      state.log.info(
        {
          method: req.method,
          path: req.path,
          route: req.route?.path,
          status: res.statusCode,
          duration_ms: Math.round(durationMs * 10) / 10,
          tenant_id: state.auth?.scope.tenantId,
          mode: state.auth?.scope.mode,
        },
        'request finished',
      );
    });
    next();
  };
}
