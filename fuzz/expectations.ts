import type { ConcreteRequest } from './materialize';
import { isObject, type World } from './world';

/**
 * Returns the statuses that are correct for a valid request, decided against the model at send time.
 * Each rule follows the operation's description in openapi.yaml:
 *
 * - reads of a known object return 200, of an unknown or other tenant's id 404;
 * - creates return 201. An id in the body that names an unknown or deactivated location or host
 *   returns 400 (the field is invalid), and an id chosen by the caller that exists returns 409;
 * - state changes return 409 when the object's state forbids them (checking out twice,
 *   cancelling a checked-in pre-registration, a photo for a visit that is no longer pending);
 * - kiosk routes return 401 once the kiosk is revoked or paired again, 404 for a visit at
 *   another location, and 422 for a QR token or code that cannot be used (cancelled, used,
 *   outside its window, another location or tenant);
 * - new visits at a deactivated location or for a deactivated host are rejected: 400 when the
 *   body names the location or host, 409 at a kiosk check-in, 400 for a kiosk walk-in.
 *
 * Operations without a rule (added to the spec after these were written) return undefined and
 * get only the checks that hold for every response.
 */
export function expectedStatuses(request: ConcreteRequest, world: World, now: number): number[] | undefined {
  if (request.operation.auth === 'kioskToken') {
    const state = request.kioskToken ? world.tokenState(request.kioskToken) : undefined;
    if (!state?.usable) return [401];
  }
  const rule = RULES[request.operation.id];
  return rule ? rule({ request, world, now, id: request.pathParams.id ?? '', body: isObject(request.body?.json) ? request.body.json : {} }) : undefined;
}

export function hasAcceptanceRule(operationId: string): boolean {
  return operationId in RULES;
}

interface RuleInput {
  request: ConcreteRequest;
  world: World;
  now: number;
  id: string;
  body: Record<string, unknown>;
}

type Rule = (input: RuleInput) => number[];

const ok = (status = 200): Rule => () => [status];
const known = (kind: 'location' | 'host' | 'visit' | 'preRegistration' | 'kiosk', status = 200): Rule => ({ world, id }) => (world.has(kind, id) ? [status] : [404]);

const activeLocation = (world: World, id: unknown) => typeof id === 'string' && world.locations.get(id)?.active === true;
const activeHost = (world: World, id: unknown) => typeof id === 'string' && world.hosts.get(id)?.active === true;

// Times this close to a window's edge may fall on either side by the time the server checks.
const CLOCK_MARGIN_MS = 5_000;

function kioskOf({ request, world }: RuleInput) {
  return world.tokenState(request.kioskToken ?? '')!.kiosk;
}

/** Finds the visit the kiosk may act on: known, and at the kiosk's location (others read as unknown). */
function kioskVisit(input: RuleInput) {
  const visit = input.world.visits.get(input.id);
  return visit && visit.locationId === kioskOf(input).locationId ? visit : undefined;
}

const RULES: Record<string, Rule> = {
  getHealth: ok(),
  getReadiness: ok(),
  getOpenApiDocument: ok(),

  listLocations: ok(),
  createLocation: ({ world, body }) => (typeof body.id === 'string' && world.has('location', body.id) ? [409] : [201]),
  retrieveLocation: known('location'),
  updateLocation: known('location'),
  deactivateLocation: known('location'),
  listNdaDocuments: known('location'),
  publishNdaDocument: known('location', 201),

  listHosts: ok(),
  createHost: ({ world, body }) => {
    if (!activeLocation(world, body.location_id)) return [400];
    return typeof body.id === 'string' && world.has('host', body.id) ? [409] : [201];
  },
  retrieveHost: known('host'),
  updateHost: (input) => (input.body.location_id !== undefined && !activeLocation(input.world, input.body.location_id) ? [400] : known('host')(input)),
  deactivateHost: known('host'),

  listVisits: ok(),
  createVisit: ({ world, body }) => {
    if (!activeLocation(world, body.location_id)) return [400];
    if (body.type === 'visitor' && !activeHost(world, body.host_id)) return [400];
    return [201];
  },
  retrieveVisit: known('visit'),
  updateVisit: ({ world, id }) => {
    const visit = world.visits.get(id);
    if (!visit) return [404];
    return visit.status === 'onsite' ? [200] : [409];
  },
  retrieveVisitPhoto: ({ world, id }) => (world.visits.get(id)?.hasPhoto ? [200] : [404]),

  listPreRegistrations: ok(),
  createPreRegistration: ({ world, body, now }) => {
    const host = typeof body.host_id === 'string' ? world.hosts.get(body.host_id) : undefined;
    if (!host?.active) return [400];
    const locationId = typeof body.location_id === 'string' ? body.location_id : host.locationId;
    const location = world.locations.get(locationId);
    if (!location?.active) return [400];
    const windowMinutes = typeof body.window_minutes === 'number' ? body.window_minutes : location.checkinWindowAfterMinutes;
    const validUntil = Date.parse(String(body.scheduled_at)) + windowMinutes * 60_000;
    // A window ending after year 9999 has no RFC 3339 form.
    if (validUntil > Date.parse('9999-12-31T23:59:59.999Z')) return [400];
    if (Math.abs(validUntil - now) < CLOCK_MARGIN_MS) return [201, 400];
    return validUntil > now ? [201] : [400];
  },
  retrievePreRegistration: known('preRegistration'),
  getPreRegistrationQrCode: known('preRegistration'),
  cancelPreRegistration: ({ world, id }) => {
    const preRegistration = world.preRegistrations.get(id);
    if (!preRegistration) return [404];
    return preRegistration.status === 'checked_in' ? [409] : [200];
  },

  listKiosks: ok(),
  createKiosk: ({ world, body }) => (activeLocation(world, body.location_id) ? [201] : [400]),
  retrieveKiosk: known('kiosk'),
  createKioskPairingCode: ({ world, id }) => {
    const kiosk = world.kiosks.get(id);
    if (!kiosk) return [404];
    return kiosk.status === 'revoked' ? [409] : [200];
  },
  revokeKiosk: known('kiosk'),

  pairKiosk: ({ world, body }) => {
    // 429: pairing attempts are limited per client address, and the fuzzer pairs from one.
    const code = world.pairingCodes.find((c) => c.code === body.pairing_code);
    if (!code || code.spent || world.kiosks.get(code.kioskId)?.status === 'revoked') return [400, 429];
    return [200, 429];
  },
  createKioskCheckin: (input) => {
    const { world, body, now } = input;
    const kiosk = kioskOf(input);
    // 429: check-in code guesses are limited per kiosk and per code.
    const limited = typeof body.check_in_code === 'string' ? [429] : [];
    const preRegistration =
      typeof body.qr_token === 'string'
        ? [...world.preRegistrations.values()].find((p) => world.qrTokens.get(p.id) === body.qr_token)
        : [...world.preRegistrations.values()].find((p) => p.checkInCode === body.check_in_code);
    if (!preRegistration) return [422, ...limited];
    if (preRegistration.locationId !== kiosk.locationId || preRegistration.status === 'cancelled' || preRegistration.status === 'checked_in') return [422, ...limited];
    if (Math.abs(now - preRegistration.validFrom) < CLOCK_MARGIN_MS || Math.abs(now - preRegistration.validUntil) < CLOCK_MARGIN_MS) return [201, 422, ...limited];
    if (now < preRegistration.validFrom || now > preRegistration.validUntil) return [422, ...limited];
    if (!activeHost(world, preRegistration.hostId) || !activeLocation(world, preRegistration.locationId)) return [409, ...limited];
    return [201, ...limited];
  },
  searchKioskHosts: ok(),
  createKioskVisit: (input) => {
    const { world, body } = input;
    const kiosk = kioskOf(input);
    if (!activeLocation(world, kiosk.locationId)) return [400];
    if (body.type !== 'visitor') return [201];
    const host = typeof body.host_id === 'string' ? world.hosts.get(body.host_id) : undefined;
    return host?.active && host.locationId === kiosk.locationId ? [201] : [400];
  },
  uploadKioskVisitPhoto: (input) => {
    const visit = kioskVisit(input);
    if (!visit) return [404];
    return visit.status === 'pending' ? [200] : [409];
  },
  signKioskVisitNda: (input) => {
    const current = input.world.ndaVersions.get(kioskOf(input).locationId) ?? 0;
    if (input.body.document_version !== current) return [409];
    const visit = kioskVisit(input);
    if (!visit) return [404];
    return visit.status === 'pending' ? [200] : [409];
  },
  checkoutKioskVisit: (input) => {
    const visit = kioskVisit(input);
    if (!visit) return [404];
    return visit.status === 'onsite' ? [200] : [409];
  },
  retrieveKioskNda: ok(),
};
