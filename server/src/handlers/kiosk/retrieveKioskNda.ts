import { currentNda } from '../../checkin/nda';
import type { Handlers } from '../../generated/operations.gen';

/** GET /v1/kiosk/nda: the current NDA of the kiosk's location, in the requested or the location's locale. */
export const retrieveKioskNda: Handlers['retrieveKioskNda'] = async (c) => {
  const { scope, locationId } = c.auth;
  const location = await c.db
    .selectFrom('locations')
    .select('locale')
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('id', '=', locationId)
    .executeTakeFirstOrThrow();
  const locale = c.query.locale ?? location.locale;
  const nda = await currentNda(c.db, scope, locationId);

  return { status: 200, body: { version: nda.version, locale, ...nda.texts[locale] } };
};
