import { generateCode } from '../../checkin/codes';
import { activeSigningKey } from '../../checkin/token';
import type { Handlers } from '../../generated/operations.gen';
import { invalidField } from '../../http/problem';
import { newId } from '../../ids';
import { recordEvent } from '../../events/record';
import { enqueue } from '../../jobs/queue';
import { requireActiveHost, requireActiveLocation } from '../../resources/lookups';
import { serializePreRegistration } from '../../resources/serialize';

const MINUTE_MS = 60_000;
// RFC 3339 years have four digits, so a later valid_until could not be returned as a timestamp.
const LATEST_TIMESTAMP_MS = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * POST /v1/pre-registrations: schedules the visit and queues the invitation email in the same
 * transaction. The QR token is signed when the email is rendered, from the stored fields.
 */
export const createPreRegistration: Handlers['createPreRegistration'] = async (c) => {
  const { scope } = c.auth;
  const body = c.body;
  const scheduledAt = new Date(body.scheduled_at);
  const now = new Date();

  const host = await requireActiveHost(c.db, scope, body.host_id);
  const location = await requireActiveLocation(c.db, scope, body.location_id ?? host.location_id);
  const before = body.window_minutes ?? location.checkin_window_before_minutes;
  const after = body.window_minutes ?? location.checkin_window_after_minutes;
  const validFrom = new Date(scheduledAt.getTime() - before * MINUTE_MS);
  const validUntil = new Date(scheduledAt.getTime() + after * MINUTE_MS);
  if (validUntil <= now) throw invalidField('scheduled_at', 'The check-in window of this time has already passed; schedule the visit in the future.');
  if (validUntil.getTime() > LATEST_TIMESTAMP_MS) throw invalidField('scheduled_at', 'The check-in window must end by 9999-12-31T23:59:59.999Z; schedule the visit earlier.');

  const signingKey = await activeSigningKey(c.db, c.services.sealer, scope.tenantId);
  const insert = () => c.db.transaction().execute(async (trx) => {
    const preRegistration = await trx
      .insertInto('pre_registrations')
      .values({
        tenant_id: scope.tenantId,
        mode: scope.mode,
        id: newId('pre'),
        status: 'scheduled',
        host_id: host.id,
        location_id: location.id,
        visitor_name: body.visitor.name,
        visitor_email: body.visitor.email,
        visitor_company: body.visitor.company ?? null,
        visitor_phone: body.visitor.phone ?? null,
        scheduled_at: scheduledAt,
        window_minutes: body.window_minutes ?? null,
        valid_from: validFrom,
        valid_until: validUntil,
        locale: body.locale ?? location.locale,
        notes: body.notes ?? null,
        check_in_code: generateCode(8),
        signing_key_id: signingKey.id,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();

    const emailId = newId('email');
    await trx
      .insertInto('outbound_emails')
      .values({
        tenant_id: scope.tenantId,
        mode: scope.mode,
        id: emailId,
        kind: 'pre_registration_invite',
        visit_id: null,
        pre_registration_id: preRegistration.id,
        recipient: preRegistration.visitor_email,
        locale: preRegistration.locale,
        created_at: now,
      })
      .execute();
    await enqueue(trx, 'send_email', { tenant_id: scope.tenantId, mode: scope.mode, email_id: emailId }, `email:${emailId}`);
    await recordEvent(trx, scope, 'pre_registration.created', serializePreRegistration(preRegistration));
    return preRegistration;
  });

  const row = await withFreshCode(insert);
  return { status: 201, body: serializePreRegistration(row) };
};

/**
 * Runs the insert again when the random check-in code (40 bits) collides with one of the
 * tenant's existing codes, which the unique index reports as 23505.
 */
async function withFreshCode<T>(insert: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await insert();
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      if (attempt >= 3 || code !== '23505' || constraint !== 'pre_registrations_code_idx') throw error;
    }
  }
}
