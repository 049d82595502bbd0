import { createHash } from 'node:crypto';

import type { NextFunction, Request, Response } from 'express';
import { sql, type Kysely } from 'kysely';

import type { Sealer } from '../crypto/sealing';
import type { Database } from '../db/schema';
import type { Logger } from '../log';
import { HttpError } from './problem';
import { requestState } from './request-context';

const KEEP_FOR_MS = 24 * 60 * 60 * 1000;

// Outcomes not stored, so a retry with the same key runs again: invalid input (the caller
// fixes it and retries), rate limiting, and server-side failures.
function isStored(status: number): boolean {
  return status < 500 && status !== 400 && status !== 429 && status !== 413 && status !== 415;
}

export interface IdempotencyOptions {
  db: Kysely<Database>;
  log: Logger;
  /** Encrypts stored responses, which may carry secrets shown once (webhook secrets, device tokens). */
  sealer: Sealer;
  /** How long a request may hold its key before another may take it over, in ms. */
  lockMs: number;
}

/**
 * Makes POST and PATCH with an `Idempotency-Key` safe to retry. The first request with a key
 * claims it with an INSERT that only one concurrent request can win, and its response is
 * stored before it is sent. A retry with the same body gets that response again (with
 * `idempotent-replayed: true`), the same key with another body gets 422, and a retry while
 * the first is still running gets 409. Keys are scoped to tenant and mode and kept 24 hours.
 * Runs after contract validation, which also checks the key's format (1 to 255 printable
 * ASCII characters), so invalid requests never claim a key.
 */
export function idempotency(options: IdempotencyOptions) {
  const { db, log, lockMs, sealer } = options;

  return async function applyIdempotency(req: Request, res: Response, next: NextFunction): Promise<void> {
    const key = req.get('idempotency-key');
    const auth = requestState(res).auth;
    if (key === undefined || !auth || (req.method !== 'POST' && req.method !== 'PATCH')) {
      next();
      return;
    }

    const { tenantId, mode } = auth.scope;
    const requestHash = createHash('sha256').update(`${req.method} ${req.path}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
    const now = new Date();

    const claimed = await db
      .insertInto('idempotency_keys')
      .values({
        tenant_id: tenantId,
        mode,
        key,
        request_hash: requestHash,
        state: 'running',
        locked_until: new Date(now.getTime() + lockMs),
        expires_at: new Date(now.getTime() + KEEP_FOR_MS),
      })
      .onConflict((oc) =>
        // An expired record, or a running one whose holder died, may be taken over.
        oc.columns(['tenant_id', 'mode', 'key']).doUpdateSet({
          request_hash: requestHash,
          state: 'running',
          response_status: null,
          response_content_type: null,
          response_body: null,
          locked_until: new Date(now.getTime() + lockMs),
          expires_at: new Date(now.getTime() + KEEP_FOR_MS),
        }).where(sql<boolean>`idempotency_keys.expires_at < ${now} or (idempotency_keys.state = 'running' and idempotency_keys.locked_until < ${now})`),
      )
      .returning('key')
      .executeTakeFirst();

    if (!claimed) {
      await replayOrReject(db, sealer, { tenantId, mode, key, requestHash }, res);
      return;
    }

    const scope = { tenantId, mode, key };
    const storeDone = async (status: number, contentType: string | null, body: Buffer) => {
      await db
        .updateTable('idempotency_keys')
        .set({ state: 'done', response_status: status, response_content_type: contentType, response_body: Buffer.from(sealer.seal(body)) })
        .where('tenant_id', '=', tenantId)
        .where('mode', '=', mode)
        .where('key', '=', key)
        .execute();
    };
    captureResponse(res, async (status, contentType, body) => {
      if (res.locals.timedOut) {
        // The handler may still commit after the 503, so the key stays claimed: the binder
        // stores the late result here, and a retry meanwhile gets 409.
        res.locals.storeLateResult = (lateStatus: number, lateBody: Buffer) =>
          isStored(lateStatus) ? storeDone(lateStatus, 'application/json; charset=utf-8', lateBody) : Promise.resolve();
        return;
      }
      if (isStored(status)) {
        await storeDone(status, contentType, body);
      } else {
        await db.deleteFrom('idempotency_keys').where('tenant_id', '=', tenantId).where('mode', '=', mode).where('key', '=', key).execute();
      }
    }).catch((error: unknown) => log.error({ err: error, ...scope }, 'failed to store the response of an idempotent request'));
    next();
  };
}

async function replayOrReject(
  db: Kysely<Database>,
  sealer: Sealer,
  request: { tenantId: string; mode: 'live' | 'test'; key: string; requestHash: string },
  res: Response,
): Promise<void> {
  const stored = await db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('tenant_id', '=', request.tenantId)
    .where('mode', '=', request.mode)
    .where('key', '=', request.key)
    .executeTakeFirst();

  if (!stored) {
    // Deleted between our insert and this read (the first request ended unstored): retryable.
    throw inFlight(request.key);
  }
  if (stored.request_hash !== request.requestHash) {
    throw new HttpError({
      status: 422,
      code: 'idempotency-key-reused',
      title: 'Idempotency key reused',
      detail: `Idempotency-Key "${request.key}" was first used with a different request. Use a new key for a new request.`,
    });
  }
  if (stored.state === 'running' || stored.response_status === null) throw inFlight(request.key);

  res.status(stored.response_status);
  res.setHeader('idempotent-replayed', 'true');
  if (stored.response_content_type) res.setHeader('content-type', stored.response_content_type);
  res.end(stored.response_body ? sealer.unseal(stored.response_body.toString()) : undefined);
}

function inFlight(key: string): HttpError {
  return new HttpError({
    status: 409,
    code: 'idempotency-key-in-use',
    title: 'Request in progress',
    detail: `A request with Idempotency-Key "${key}" is still running. Retry shortly to receive its response.`,
    headers: { 'retry-after': '1' },
  });
}

/**
 * Calls `store` with the response's status, content type and body before the body is sent,
 * so a retry that arrives right after the response already finds it stored. Every response
 * of this server is written with a single `res.end` call (res.json and the error handler both
 * end in one), which is what lets this wrapper see the whole body.
 */
function captureResponse(
  res: Response,
  store: (status: number, contentType: string | null, body: Buffer) => Promise<void>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const originalEnd = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      const body = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.isBuffer(chunk) ? chunk : Buffer.alloc(0);
      const contentType = res.getHeader('content-type');
      store(res.statusCode, typeof contentType === 'string' ? contentType : null, body).then(
        () => {
          originalEnd(chunk, ...rest);
          resolve();
        },
        (error: unknown) => {
          originalEnd(chunk, ...rest);
          reject(error);
        },
      );
      return res;
    }) as Response['end'];
  });
}
