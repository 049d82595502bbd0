import type { NextFunction, Request, Response } from 'express';

import type { BindOperation } from '../generated/operations.gen';
import type { AppServices } from '../app';
import type { OperationShape } from './operation';
import { requestState } from './request-context';

/**
 * Binds handlers to Express: builds the handler's context from the validated request and
 * writes its result. JSON goes through `res.json`, so the response validator checks it.
 */
export function createBinder(services: AppServices): BindOperation {
  return (meta, handler) => [
    async function runOperation(req: Request, res: Response, _next: NextFunction): Promise<void> {
      const state = requestState(res);
      const context = {
        operation: meta,
        params: req.params,
        query: req.query,
        body: req.body,
        auth: state.auth,
        requestId: state.requestId,
        log: state.log,
        db: services.db,
        services,
        req,
        res,
      } as unknown as Parameters<typeof handler>[0];
      // The cast above is the one place where Express's untyped request meets the generated
      // types; express-openapi-validator has already checked the request against them.

      const result = (await handler(context)) as OperationShape['result'] & {
        body?: unknown;
        contentType?: string;
        headers?: Record<string, string>;
      };
      // The request timeout may have responded already. The late result is not sent, but an
      // idempotent request stores it, so a retry gets what actually happened.
      if (res.headersSent) {
        const storeLate = res.locals.storeLateResult as ((status: number, body: Buffer) => Promise<void>) | undefined;
        await storeLate?.(result.status, Buffer.from(JSON.stringify(result.body ?? null)));
        return;
      }
      for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
      res.status(result.status);
      if (result.body === undefined) res.end();
      else if (result.body instanceof Uint8Array) res.type(result.contentType ?? 'application/octet-stream').send(Buffer.from(result.body));
      else res.json(result.body);
    },
  ];
}
