import { redeem } from '../../checkin/redeem';
import type { Handlers } from '../../generated/operations.gen';
import { serializeVisit } from '../../resources/serialize';

/** POST /v1/kiosk/checkins: redeems a QR token or check-in code and opens the pending visit. */
export const createKioskCheckin: Handlers['createKioskCheckin'] = async (c) => {
  const { db, services } = c;
  const { preRegistration, visit, hostName } = await redeem({ db, sealer: services.sealer, limiter: services.limiter }, c.auth, c.body);

  return {
    status: 201,
    body: {
      visit: serializeVisit(visit),
      host: { id: preRegistration.host_id, name: hostName },
      pre_registration_id: preRegistration.id,
      requires: ['photo', 'nda'],
    },
  };
};
