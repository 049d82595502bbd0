/**
 * The fuzzer's model of the objects it created: what it last saw of each one, learned from the
 * bodies of successful responses. Valid requests draw their ids from here, and the expected
 * status of a request is decided against it.
 */

export type PoolKind = 'location' | 'host' | 'visit' | 'preRegistration' | 'kiosk';

export interface LocationState {
  id: string;
  active: boolean;
  checkinWindowAfterMinutes: number;
}

export interface HostState {
  id: string;
  active: boolean;
  locationId: string;
}

export interface VisitState {
  id: string;
  status: string;
  locationId: string;
  hasPhoto: boolean;
}

export interface PreRegistrationState {
  id: string;
  status: string;
  hostId: string;
  locationId: string;
  validFrom: number;
  validUntil: number;
  checkInCode: string;
}

export interface KioskState {
  id: string;
  status: string;
  locationId: string;
}

export interface DeviceToken {
  token: string;
  kioskId: string;
  /** False once the kiosk was paired again, which replaces the token. */
  current: boolean;
}

export interface PairingCode {
  code: string;
  kioskId: string;
  /** True once used or replaced by a newer code for the same kiosk. */
  spent: boolean;
}

/** Objects of the fuzz tenant, plus ids of another tenant that must read as unknown. */
export class World {
  readonly locations = new Map<string, LocationState>();
  readonly hosts = new Map<string, HostState>();
  readonly visits = new Map<string, VisitState>();
  readonly preRegistrations = new Map<string, PreRegistrationState>();
  readonly kiosks = new Map<string, KioskState>();
  readonly deviceTokens: DeviceToken[] = [];
  readonly pairingCodes: PairingCode[] = [];
  /** QR token of each pre-registration whose PNG was downloaded and decoded. */
  readonly qrTokens = new Map<string, string>();
  /** The current NDA version of each location; 0 (the default text) until one is published. */
  readonly ndaVersions = new Map<string, number>();
  /** `next_cursor` values seen, per list operation. */
  readonly cursors = new Map<string, string[]>();
  /** Seeded objects that requests which deactivate, revoke or reassign never target, so the flows keep working. */
  readonly anchors = new Set<string>();
  /** Real ids of another tenant: well-formed, but unknown to the fuzz tenant. */
  readonly foreignIds: Record<PoolKind, string[]> = { location: [], host: [], visit: [], preRegistration: [], kiosk: [] };
  /** A QR token of another tenant's pre-registration. */
  foreignQrToken: string | undefined;

  constructor(
    readonly apiKey: string,
    /** Credentials that must get 401: a revoked API key and another tenant's revoked kiosk token. */
    readonly revokedCredentials: string[],
  ) {}

  ids(kind: PoolKind): string[] {
    return [...this.#pool(kind).keys()];
  }

  has(kind: PoolKind, id: string): boolean {
    return this.#pool(kind).has(id);
  }

  activeTokens(): DeviceToken[] {
    return this.deviceTokens.filter((t) => t.current && this.kiosks.get(t.kioskId)?.status === 'active');
  }

  tokenState(token: string): { kiosk: KioskState; usable: boolean } | undefined {
    const entry = this.deviceTokens.find((t) => t.token === token);
    const kiosk = entry && this.kiosks.get(entry.kioskId);
    if (!entry || !kiosk) return undefined;
    return { kiosk, usable: entry.current && kiosk.status === 'active' };
  }

  /** Updates the model from a successful JSON response body. */
  learn(operationId: string, body: unknown, query: URLSearchParams): void {
    if (!isObject(body)) return;
    if (Array.isArray(body.data)) {
      for (const item of body.data) this.#learnObject(item);
      if (typeof body.next_cursor === 'string') {
        const seen = this.cursors.get(operationId) ?? [];
        if (seen.length < 50 && query.size === 0) seen.push(body.next_cursor);
        this.cursors.set(operationId, seen);
      }
      return;
    }
    this.#learnObject(body);
    if (isObject(body.visit)) this.#learnObject(body.visit);
    if (typeof body.pre_registration_id === 'string' && isObject(body.visit)) {
      const preRegistration = this.preRegistrations.get(body.pre_registration_id);
      if (preRegistration) preRegistration.status = 'checked_in';
    }
    if (typeof body.device_token === 'string' && isObject(body.kiosk) && typeof body.kiosk.id === 'string') {
      const kioskId = body.kiosk.id;
      for (const token of this.deviceTokens) if (token.kioskId === kioskId) token.current = false;
      // Pairing uses up the kiosk's code; a kiosk has at most one at a time.
      for (const code of this.pairingCodes) if (code.kioskId === kioskId) code.spent = true;
      this.deviceTokens.push({ token: body.device_token, kioskId, current: true });
      const kiosk = this.kiosks.get(kioskId);
      if (kiosk) kiosk.status = 'active';
    }
    if (typeof body.pairing_code === 'string' && typeof body.id === 'string') {
      for (const code of this.pairingCodes) if (code.kioskId === body.id) code.spent = true;
      this.pairingCodes.push({ code: body.pairing_code, kioskId: body.id, spent: false });
    }
    if (typeof body.version === 'number' && typeof body.location_id === 'string' && isObject(body.texts)) {
      this.ndaVersions.set(body.location_id, Math.max(body.version, this.ndaVersions.get(body.location_id) ?? 0));
    }
  }

  #learnObject(value: unknown): void {
    if (!isObject(value) || typeof value.id !== 'string') return;
    const id = value.id;
    if (id.startsWith('loc_') && typeof value.active === 'boolean') {
      this.locations.set(id, { id, active: value.active, checkinWindowAfterMinutes: Number(value.checkin_window_after_minutes) });
    } else if (id.startsWith('h_') && typeof value.active === 'boolean') {
      this.hosts.set(id, { id, active: value.active, locationId: String(value.location_id) });
    } else if (id.startsWith('vis_') && typeof value.status === 'string') {
      this.visits.set(id, { id, status: value.status, locationId: String(value.location_id), hasPhoto: value.has_photo === true });
    } else if (id.startsWith('pre_') && typeof value.check_in_code === 'string') {
      this.preRegistrations.set(id, {
        id,
        status: String(value.status),
        hostId: String(value.host_id),
        locationId: String(value.location_id),
        validFrom: Date.parse(String(value.valid_from)),
        validUntil: Date.parse(String(value.valid_until)),
        checkInCode: value.check_in_code,
      });
    } else if (id.startsWith('ksk_') && typeof value.status === 'string') {
      this.kiosks.set(id, { id, status: value.status, locationId: String(value.location_id) });
    }
  }

  #pool(kind: PoolKind): Map<string, unknown> {
    switch (kind) {
      case 'location':
        return this.locations;
      case 'host':
        return this.hosts;
      case 'visit':
        return this.visits;
      case 'preRegistration':
        return this.preRegistrations;
      case 'kiosk':
        return this.kiosks;
    }
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
