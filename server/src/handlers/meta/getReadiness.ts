import type { Handlers } from '../../generated/operations.gen';

/**
 * GET /readyz: 200 when the database answers, 503 when it does not. Redis is reported but
 * does not decide readiness, because the server keeps serving without it (under
 * per-process limits).
 */
export const getReadiness: Handlers['getReadiness'] = async (c) => {
  const [databaseUp, redis] = await Promise.all([c.services.checkDatabase(), c.services.checkRedis()]);
  const database = databaseUp ? 'ok' : 'unavailable';
  return { status: databaseUp ? 200 : 503, body: { status: databaseUp ? 'ok' : 'unavailable', checks: { database, redis } } };
};
