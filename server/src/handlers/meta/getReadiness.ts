import type { Handlers } from '../../generated/operations.gen';

/** GET /readyz: 200 when the database answers, 503 when it does not. */
export const getReadiness: Handlers['getReadiness'] = async (c) => {
  const database = (await c.services.checkDatabase()) ? 'ok' : 'unavailable';
  const ready = database === 'ok';
  return { status: ready ? 200 : 503, body: { status: ready ? 'ok' : 'unavailable', checks: { database } } };
};
