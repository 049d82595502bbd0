import type { Handlers } from '../../generated/operations.gen';

/** GET /healthz: the process is up; the database is not consulted. */
export const getHealth: Handlers['getHealth'] = async () => {
  return { status: 200, body: { status: 'ok' } };
};
