import type { Kysely } from 'kysely';

import type { Sealer } from '../crypto/sealing';
import type { Database, PreRegistrationRow, VisitRow } from '../db/schema';
import type { KioskAuth } from '../http/operation';
import { recordEvent } from '../events/record';
import { conflict, HttpError } from '../http/problem';
import { newId } from '../ids';
import { serializePreRegistration, serializeVisit } from '../resources/serialize';
import { paramsFor } from '../limits/gcra';
import { tooManyRequests } from '../limits/headers';
import type { RateLimiter } from '../limits/limiter';
import { normalizeCode } from './codes';
import { hasValidSignature, readClaims, verificationKey } from './token';

// Check-in code guesses: per kiosk 6 a minute after a burst of about 10, and per code 5 an hour.
const KIOSK_GUESSES = paramsFor(6, 90_000);
const CODE_GUESSES = paramsFor(5 / 60, 48 * 60_000);

export interface Redemption {
  preRegistration: PreRegistrationRow;
  visit: VisitRow;
  hostName: string;
}

function rejected(code: string, detail: string): HttpError {
  return new HttpError({ status: 422, code, title: 'Check-in not possible', detail });
}

/**
 * Redeems a scanned QR token or a typed check-in code at a kiosk. It checks the code in every
 * way the contract lists. Then one transaction marks the pre-registration checked in and opens
 * the pending visit; the update matches only a still-scheduled row, so of two kiosks scanning
 * at once only one succeeds.
 */
export async function redeem(
  deps: { db: Kysely<Database>; sealer: Sealer; limiter: RateLimiter },
  kiosk: KioskAuth,
  input: { qr_token?: string | undefined; check_in_code?: string | undefined },
): Promise<Redemption> {
  const { db } = deps;
  const scope = kiosk.scope;
  const preRegistration = input.qr_token !== undefined ? await fromToken(deps, kiosk, input.qr_token) : await fromCode(deps, kiosk, input.check_in_code ?? '');

  if (preRegistration.location_id !== kiosk.locationId) {
    throw rejected('checkin-token-wrong-location', 'This pre-registration is for another location; the visitor should check in there.');
  }
  if (preRegistration.status === 'cancelled') throw rejected('pre-registration-cancelled', 'This pre-registration was cancelled.');
  if (preRegistration.status === 'checked_in') throw rejected('checkin-token-used', 'This code was already used to check in.');
  const now = new Date();
  if (now < preRegistration.valid_from) {
    throw rejected('checkin-token-not-yet-valid', `Check-in opens at ${preRegistration.valid_from.toISOString()}.`);
  }
  if (now > preRegistration.valid_until) {
    throw rejected('checkin-token-expired', `The check-in window closed at ${preRegistration.valid_until.toISOString()}.`);
  }

  // As on POST /v1/visits, no new visit opens at a deactivated location or for a deactivated host.
  const host = await db.selectFrom('hosts').select('active').where('tenant_id', '=', scope.tenantId).where('mode', '=', scope.mode).where('id', '=', preRegistration.host_id).executeTakeFirst();
  const location = await db.selectFrom('locations').select('active').where('tenant_id', '=', scope.tenantId).where('mode', '=', scope.mode).where('id', '=', preRegistration.location_id).executeTakeFirst();
  if (!host?.active || !location?.active) throw conflict('The host or location of this pre-registration has been deactivated, so the visitor cannot check in.');

  return db.transaction().execute(async (trx) => {
    const visitId = newId('vis');
    const claimed = await trx
      .updateTable('pre_registrations')
      .set({ status: 'checked_in', checked_in_at: now, visit_id: visitId, updated_at: now })
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', preRegistration.id)
      .where('status', '=', 'scheduled')
      .returningAll()
      .executeTakeFirst();
    if (!claimed) throw rejected('checkin-token-used', 'This code was already used to check in.');

    const visit = await trx
      .insertInto('visits')
      .values({
        tenant_id: scope.tenantId,
        mode: scope.mode,
        id: visitId,
        type: 'visitor',
        status: 'pending',
        location_id: claimed.location_id,
        host_id: claimed.host_id,
        visitor_name: claimed.visitor_name,
        visitor_email: claimed.visitor_email,
        visitor_company: claimed.visitor_company,
        host_notified: false,
        checked_in_at: null,
        pre_registration_id: claimed.id,
        kiosk_id: kiosk.kioskId,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordEvent(trx, scope, 'pre_registration.checked_in', serializePreRegistration(claimed));
    await recordEvent(trx, scope, 'visit.created', serializeVisit(visit));
    const host = await trx
      .selectFrom('hosts')
      .select('name')
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', claimed.host_id)
      .executeTakeFirstOrThrow();
    return { preRegistration: claimed, visit, hostName: host.name };
  });
}

async function fromToken(deps: { db: Kysely<Database>; sealer: Sealer }, kiosk: KioskAuth, token: string): Promise<PreRegistrationRow> {
  const claims = readClaims(token);
  if (!claims) throw rejected('checkin-token-invalid', 'This is not a VisitorFlow check-in QR code.');
  // Another tenant's token is rejected before its signature is checked, so no other tenant's key is ever read.
  if (claims.tenantId !== kiosk.scope.tenantId || claims.mode !== kiosk.scope.mode) {
    throw rejected('checkin-token-other-tenant', 'This QR code belongs to another organization (or to its other mode, live or test).');
  }
  const key = await verificationKey(deps.db, deps.sealer, claims.tenantId, claims.keyId);
  if (!key || !hasValidSignature(token, key)) throw rejected('checkin-token-invalid', 'This QR code has been altered or its signing key was retired.');

  const row = await findPreRegistration(deps.db, kiosk, 'id', claims.preRegistrationId);
  if (!row) throw rejected('checkin-token-invalid', 'This QR code names no pre-registration.');
  return row;
}

async function fromCode(deps: { db: Kysely<Database>; limiter: RateLimiter }, kiosk: KioskAuth, typed: string): Promise<PreRegistrationRow> {
  const code = normalizeCode(typed);
  const { tenantId, mode } = kiosk.scope;
  const perKiosk = await deps.limiter.consumeKey(`vf:guess:{${tenantId}}:${mode}:kiosk:${kiosk.kioskId}`, KIOSK_GUESSES);
  const perCode = await deps.limiter.consumeKey(`vf:guess:{${tenantId}}:${mode}:code:${code}`, CODE_GUESSES);
  const blocked = [perKiosk, perCode].find((decision) => !decision.allowed);
  if (blocked) {
    throw tooManyRequests('checkin-code-attempts', blocked.retryAfterMs, (seconds) => `Too many check-in code attempts. Try again in ${seconds} s or scan the QR code.`);
  }

  const row = await findPreRegistration(deps.db, kiosk, 'check_in_code', code);
  if (!row) throw rejected('checkin-token-invalid', 'No visit is registered with this check-in code. Check the code and try again.');
  return row;
}

function findPreRegistration(db: Kysely<Database>, kiosk: KioskAuth, column: 'id' | 'check_in_code', value: string) {
  return db
    .selectFrom('pre_registrations')
    .selectAll()
    .where('tenant_id', '=', kiosk.scope.tenantId)
    .where('mode', '=', kiosk.scope.mode)
    .where(column, '=', value)
    .executeTakeFirst();
}
