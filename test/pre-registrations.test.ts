import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { REPO_ROOT } from '../server/src/config';
import type { ApiClient, ApiResponse } from './support/client';
import { decodeQr, fetchQrToken, pairKiosk, type PairedKiosk } from './support/kiosk';
import { startTestServer, type TestServer } from './support/server';
import { startMailSink, type MailSink } from './support/smtp';
import { makeTenant, seedReferenceDirectory, type TestTenant } from './support/tenants';

const run = promisify(execFile);
const CLI = 'node_modules/.bin/visitorflow';
// Older checkouts have no rotation command, so the rotation cases are skipped there.
const HAS_ROTATE_COMMAND = execFileSync(CLI, ['help'], { cwd: REPO_ROOT, encoding: 'utf8' }).includes('tenants rotate-signing-key');

// seedReferenceDirectory creates LOCATION (Monterrey Plant 1, es-MX) and HOST (Laura Garza) in a tenant.
const LOCATION = 'loc_mty_01';
const HOST = 'h_98412';
const EN_LOCATION = 'loc_austin';
const EN_HOST = 'h_austin';
const CUSTOM_WINDOW_LOCATION = 'loc_custom_window';
const CUSTOM_WINDOW_HOST = 'h_custom_window';
const DEACTIVATED_HOST = 'h_deactivated';
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

let mail: MailSink;
let server: TestServer;
let tenant: TestTenant;
let otherTenant: TestTenant;
let api: ApiClient;
let kiosk: PairedKiosk;

beforeAll(async () => {
  mail = await startMailSink();
  server = await startTestServer({ worker: true, config: { smtpUrl: mail.url } });
  tenant = await makeTenant(server.runtime.db, 'pre-registrations');
  otherTenant = await makeTenant(server.runtime.db, 'pre-registrations other');
  api = server.client(tenant.testKey);
  await seedDirectory(api);
  await seedReferenceDirectory(server.client(otherTenant.testKey));
  kiosk = await pairKiosk(server, api, LOCATION);
});

afterAll(async () => {
  await server?.close();
  await mail?.close();
});

async function expectStatus(request: Promise<ApiResponse>, status: number): Promise<ApiResponse> {
  const response = await request;
  if (response.status !== status) throw new Error(`Setup request returned ${response.status}, expected ${status}: ${JSON.stringify(response.body)}`);
  return response;
}

/** Creates the reference directory plus an English location, a location with its own window, and a deactivated host. */
async function seedDirectory(client: ApiClient): Promise<void> {
  await seedReferenceDirectory(client);
  await expectStatus(client.post('/v1/locations', { id: EN_LOCATION, name: 'Austin Office', timezone: 'America/Chicago', locale: 'en' }), 201);
  await expectStatus(client.post('/v1/hosts', { id: EN_HOST, name: 'Sam Carter', email: 'sam.carter@acme.com', location_id: EN_LOCATION }), 201);
  await expectStatus(client.post('/v1/locations', { id: CUSTOM_WINDOW_LOCATION, name: 'Saltillo Plant', locale: 'es-MX' }), 201);
  await expectStatus(client.patch(`/v1/locations/${CUSTOM_WINDOW_LOCATION}`, { checkin_window_before_minutes: 15, checkin_window_after_minutes: 90 }), 200);
  await expectStatus(client.post('/v1/hosts', { id: CUSTOM_WINDOW_HOST, name: 'Rosa Treviño', email: 'rosa@acme.com', location_id: CUSTOM_WINDOW_LOCATION }), 201);
  await expectStatus(client.post('/v1/hosts', { id: DEACTIVATED_HOST, name: 'Former Employee', email: 'former@acme.com', location_id: LOCATION }), 201);
  await expectStatus(client.post(`/v1/hosts/${DEACTIVATED_HOST}/deactivate`), 200);
}

/** Returns the time `hours` after the next whole hour, as the API prints it (milliseconds included). */
function wholeHoursFromNow(hours: number): string {
  return new Date(Math.ceil(Date.now() / HOUR_MS) * HOUR_MS + hours * HOUR_MS).toISOString();
}

function shiftIso(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * MINUTE_MS).toISOString();
}

async function preRegister(client: ApiClient, overrides: Record<string, unknown> = {}): Promise<ApiResponse> {
  return expectStatus(
    client.post('/v1/pre-registrations', {
      host_id: HOST,
      visitor: { name: 'Andrés López', email: 'andres@acme.com' },
      scheduled_at: wholeHoursFromNow(1),
      window_minutes: 60,
      ...overrides,
    }),
    201,
  );
}

/** Pre-registers a visit that is open for check-in now, and checks it in at `at`. */
async function checkedIn(client: ApiClient, at: PairedKiosk): Promise<ApiResponse> {
  const created = await preRegister(client, { scheduled_at: new Date(Date.now() + 10 * MINUTE_MS).toISOString() });
  await expectStatus(at.client.post('/v1/kiosk/checkins', { check_in_code: created.body.check_in_code }), 201);
  return created;
}

function preRegistrationRows(tenantId: string) {
  return server.runtime.db.selectFrom('pre_registrations').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute();
}

function expectProblem(response: ApiResponse, status: number, code: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body.type).toBe(`urn:visitorflow:problem:${code}`);
}

describe('creating pre-registrations', () => {
  it('accepts reference request', async () => {
    const scheduledAt = wholeHoursFromNow(24);

    const response = await api.post('/v1/pre-registrations', {
      host_id: 'h_98412',
      visitor: { name: 'Andrés López', email: 'andres@acme.com' },
      scheduled_at: scheduledAt,
      window_minutes: 60,
    });

    expect(response.status).toBe(201);
    expect(response.body.id).toMatch(/^pre_/);
    expect(response.body.status).toBe('scheduled');
    expect(response.body.host_id).toBe('h_98412');
    expect(response.body.location_id).toBe(LOCATION);
    expect(response.body.visitor).toEqual({ name: 'Andrés López', email: 'andres@acme.com', company: null, phone: null });
    expect(response.body.scheduled_at).toBe(scheduledAt);
    expect(response.body.window_minutes).toBe(60);
    expect(response.body.valid_from).toBe(shiftIso(scheduledAt, -60));
    expect(response.body.valid_until).toBe(shiftIso(scheduledAt, 60));
    expect(response.body.check_in_code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
    expect(response.body.qr_code_url).toBe(`/v1/prereg/qr/${response.body.id}.png`);
    expect(response.body.visit_id).toBeNull();
    expect(response.body.livemode).toBe(false);
  });

  it('rejects literal reference date', async () => {
    const before = await preRegistrationRows(tenant.tenantId);

    // The reference example as published. Its date has passed, so its check-in window has closed.
    const response = await api.post('/v1/pre-registrations', {
      host_id: 'h_98412',
      visitor: { name: 'Andrés López', email: 'andres@acme.com' },
      scheduled_at: '2026-05-02T15:00:00Z',
      window_minutes: 60,
    });

    expectProblem(response, 400, 'invalid-payload');
    expect(response.body.issues.fieldErrors).toHaveProperty('scheduled_at');
    expect(await preRegistrationRows(tenant.tenantId)).toEqual(before);
  });

  it("defaults location to host's", async () => {
    const response = await preRegister(api, { host_id: EN_HOST });

    expect(response.body.location_id).toBe(EN_LOCATION);
  });

  it("defaults locale to location's", async () => {
    const english = await preRegister(api, { host_id: EN_HOST });
    const spanish = await preRegister(api, { host_id: HOST });

    expect(english.body.locale).toBe('en');
    expect(spanish.body.locale).toBe('es-MX');
  });

  it('defaults window to 60 minutes', async () => {
    const scheduledAt = wholeHoursFromNow(3);

    const response = await preRegister(api, { scheduled_at: scheduledAt, window_minutes: undefined });

    expect(response.body.window_minutes).toBeNull();
    expect(response.body.valid_from).toBe(shiftIso(scheduledAt, -60));
    expect(response.body.valid_until).toBe(shiftIso(scheduledAt, 60));
  });

  it("applies location's own window", async () => {
    const scheduledAt = wholeHoursFromNow(3);

    const response = await preRegister(api, { host_id: CUSTOM_WINDOW_HOST, scheduled_at: scheduledAt, window_minutes: undefined });

    expect(response.body.valid_from).toBe(shiftIso(scheduledAt, -15));
    expect(response.body.valid_until).toBe(shiftIso(scheduledAt, 90));
  });

  it('applies window set at location creation', async () => {
    const location = await api.post('/v1/locations', { id: 'loc_window_at_creation', name: 'Apodaca Plant', checkin_window_before_minutes: 20, checkin_window_after_minutes: 45 });
    await expectStatus(api.post('/v1/hosts', { id: 'h_window_at_creation', name: 'Iván Garza', email: 'ivan@acme.com', location_id: 'loc_window_at_creation' }), 201);
    const scheduledAt = wholeHoursFromNow(3);

    const response = await preRegister(api, { host_id: 'h_window_at_creation', scheduled_at: scheduledAt, window_minutes: undefined });

    expect(location.status).toBe(201);
    expect(location.body.checkin_window_before_minutes).toBe(20);
    expect(location.body.checkin_window_after_minutes).toBe(45);
    expect(response.body.valid_from).toBe(shiftIso(scheduledAt, -20));
    expect(response.body.valid_until).toBe(shiftIso(scheduledAt, 45));
  });

  it('accepts explicit locale en', async () => {
    const response = await preRegister(api, { host_id: HOST, locale: 'en' });

    expect(response.body.locale).toBe('en');
  });

  it.each([
    ['bad email', { visitor: { name: 'Andrés López', email: 'not-an-email' } }, 'visitor.email'],
    ['window_minutes 0', { window_minutes: 0 }, 'window_minutes'],
    ['window_minutes 2000', { window_minutes: 2000 }, 'window_minutes'],
    ['unknown host', { host_id: 'h_missing' }, 'host_id'],
    ['deactivated host', { host_id: DEACTIVATED_HOST }, 'host_id'],
    ['unknown field', { badge_color: 'red' }, 'badge_color'],
  ])('rejects %s', async (_case, overrides, field) => {
    const before = await preRegistrationRows(tenant.tenantId);

    const response = await api.post('/v1/pre-registrations', {
      host_id: HOST,
      visitor: { name: 'Andrés López', email: 'andres@acme.com' },
      scheduled_at: wholeHoursFromNow(1),
      window_minutes: 60,
      ...overrides,
    });

    expectProblem(response, 400, 'invalid-payload');
    expect(Object.keys(response.body.issues.fieldErrors)).toContain(field);
    expect(await preRegistrationRows(tenant.tenantId)).toEqual(before);
  });
});

describe('listing pre-registrations', () => {
  // A tenant of its own, so each filter's result is known exactly.
  let client: ApiClient;
  const ids = {} as Record<'morning' | 'austin' | 'cancelled' | 'checkedIn' | 'expired', string>;
  let morningAt: string;
  let austinAt: string;

  beforeAll(async () => {
    const listTenant = await makeTenant(server.runtime.db, 'pre-registration lists');
    client = server.client(listTenant.testKey);
    await seedDirectory(client);
    const listKiosk = await pairKiosk(server, client, LOCATION);

    morningAt = wholeHoursFromNow(24);
    austinAt = wholeHoursFromNow(48);
    ids.morning = (await preRegister(client, { scheduled_at: morningAt })).body.id;
    ids.austin = (await preRegister(client, { host_id: EN_HOST, scheduled_at: austinAt })).body.id;
    ids.cancelled = (await preRegister(client, { scheduled_at: wholeHoursFromNow(72) })).body.id;
    await expectStatus(client.post(`/v1/pre-registrations/${ids.cancelled}/cancel`), 200);
    ids.checkedIn = (await checkedIn(client, listKiosk)).body.id;
    // The API rejects a window that has already closed, so the row's window is moved into the past instead.
    ids.expired = (await preRegister(client, { scheduled_at: wholeHoursFromNow(96) })).body.id;
    await server.runtime.db
      .updateTable('pre_registrations')
      .set({ scheduled_at: new Date(Date.now() - 2 * HOUR_MS), valid_from: new Date(Date.now() - 3 * HOUR_MS), valid_until: new Date(Date.now() - HOUR_MS) })
      .where('tenant_id', '=', listTenant.tenantId)
      .where('id', '=', ids.expired)
      .execute();
  });

  async function listIds(query: string): Promise<string[]> {
    const response = await expectStatus(client.get(`/v1/pre-registrations?${query}`), 200);
    return response.body.data.map((row: { id: string }) => row.id);
  }

  it('filters by host', async () => {
    expect(await listIds(`host_id=${EN_HOST}`)).toEqual([ids.austin]);
  });

  it('filters by location', async () => {
    expect(await listIds(`location_id=${EN_LOCATION}`)).toEqual([ids.austin]);
  });

  it.each([
    ['scheduled', ['austin', 'morning']],
    ['cancelled', ['cancelled']],
    ['checked_in', ['checkedIn']],
    ['expired', ['expired']],
  ] as const)('filters by status %s', async (status, names) => {
    const response = await client.get(`/v1/pre-registrations?status=${status}`);

    expect(response.body.data.map((row: { id: string }) => row.id)).toEqual(names.map((name) => ids[name]));
    expect(response.body.data.map((row: { status: string }) => row.status)).toEqual(names.map(() => status));
  });

  it('filters by scheduled range', async () => {
    // scheduled_after is inclusive and scheduled_before exclusive, so only the morning visit matches.
    const query = `scheduled_after=${encodeURIComponent(morningAt)}&scheduled_before=${encodeURIComponent(austinAt)}`;

    expect(await listIds(query)).toEqual([ids.morning]);
  });

  it('pages with cursor', async () => {
    const pages: ApiResponse[] = [];
    let cursor: string | null = null;
    do {
      const suffix: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
      const page: ApiResponse = await expectStatus(client.get(`/v1/pre-registrations?limit=2${suffix}`), 200);
      pages.push(page);
      cursor = page.body.next_cursor;
    } while (cursor !== null && pages.length < 10);

    const pagedIds = pages.flatMap((page) => page.body.data.map((row: { id: string }) => row.id));
    expect(pages.map((page) => page.body.data.length)).toEqual([2, 2, 1]);
    expect(pagedIds).toEqual(await listIds('limit=100'));
    expect(new Set(pagedIds)).toEqual(new Set(Object.values(ids)));
    expect(pages.at(-1)?.body.next_cursor).toBeNull();
  });
});

describe('cancelling pre-registrations', () => {
  it('cancels idempotently', async () => {
    const created = await preRegister(api);

    const first = await api.post(`/v1/pre-registrations/${created.body.id}/cancel`);
    const rowsAfterFirst = await preRegistrationRows(tenant.tenantId);
    const second = await api.post(`/v1/pre-registrations/${created.body.id}/cancel`);

    expect(first.status).toBe(200);
    expect(first.body.status).toBe('cancelled');
    expect(first.body.cancelled_at).toBeTypeOf('string');
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await preRegistrationRows(tenant.tenantId)).toEqual(rowsAfterFirst);
  });

  it('rejects cancel after check-in', async () => {
    const created = await checkedIn(api, kiosk);
    const before = await preRegistrationRows(tenant.tenantId);

    const response = await api.post(`/v1/pre-registrations/${created.body.id}/cancel`);

    expectProblem(response, 409, 'conflict');
    expect(await preRegistrationRows(tenant.tenantId)).toEqual(before);
  });
});

describe('tenant and mode isolation', () => {
  let id: string;

  beforeAll(async () => {
    id = (await preRegister(api)).body.id;
  });

  it('hides QR code from other tenant', async () => {
    const response = await server.client(otherTenant.testKey).get(`/v1/prereg/qr/${id}.png`);

    expectProblem(response, 404, 'not-found');
  });

  it.each([
    ['other tenant', () => otherTenant.testKey],
    ['live mode', () => tenant.liveKey],
  ])('hides from %s', async (_case, key) => {
    const client = server.client(key());
    const before = await preRegistrationRows(tenant.tenantId);

    const retrieved = await client.get(`/v1/pre-registrations/${id}`);
    const listed = await client.get('/v1/pre-registrations?limit=100');
    const cancelled = await client.post(`/v1/pre-registrations/${id}/cancel`);
    const qrCode = await client.get(`/v1/prereg/qr/${id}.png`);

    expectProblem(retrieved, 404, 'not-found');
    expect(listed.body.data.map((row: { id: string }) => row.id)).not.toContain(id);
    expectProblem(cancelled, 404, 'not-found');
    expectProblem(qrCode, 404, 'not-found');
    expect(await preRegistrationRows(tenant.tenantId)).toEqual(before);
  });
});

describe('invitation email', () => {
  it('arrives in English for en', { timeout: 30_000 }, async () => {
    const created = await preRegister(api, { host_id: HOST, locale: 'en', visitor: { name: 'Jane Doe', email: 'jane@example.com' } });
    const code: string = created.body.check_in_code;

    // Other test files share the job queue and this sink may get their emails too, so match by check-in code.
    const invite = await mail.waitFor((message) => message.text?.includes(code) ?? false);
    const qrImage = invite.attachments.find((a) => a.contentId === '<qr-code@visitorflow>' || a.cid === 'qr-code@visitorflow');

    expect(invite.to).toMatchObject({ text: 'jane@example.com' });
    expect(invite.subject).toMatch(/^Your visit to Monterrey Plant 1 on /);
    expect(invite.text).toContain('scan the QR code');
    expect(invite.html).toContain('cid:qr-code@visitorflow');
    expect(qrImage?.contentType).toBe('image/png');
    expect(qrImage?.contentDisposition).toBe('inline');
    expect(decodeQr(qrImage!.content)).toBe(await fetchQrToken(server, tenant.testKey, created.body.id));
  });
});

/** Runs `visitorflow <args>` against this run's database, as an operator would. */
async function visitorflow(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(CLI, args, { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'warn' }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe.skipIf(!HAS_ROTATE_COMMAND)('signing key rotation', () => {
  // A tenant of its own, because rotating changes the key of every later pre-registration.
  let rotationTenant: TestTenant;
  let client: ApiClient;
  let rotationKiosk: PairedKiosk;

  beforeAll(async () => {
    rotationTenant = await makeTenant(server.runtime.db, 'signing key rotation');
    client = server.client(rotationTenant.testKey);
    await seedReferenceDirectory(client);
    rotationKiosk = await pairKiosk(server, client, LOCATION);
  });

  /** Pre-registers a visit open for check-in now and reads its QR token. */
  async function openInvitation(): Promise<{ token: string; keyId: string }> {
    const created = await preRegister(client, { scheduled_at: new Date(Date.now() + 10 * MINUTE_MS).toISOString() });
    const token = await fetchQrToken(server, rotationTenant.testKey, created.body.id);
    const row = await server.runtime.db.selectFrom('pre_registrations').select('signing_key_id').where('tenant_id', '=', rotationTenant.tenantId).where('id', '=', created.body.id).executeTakeFirstOrThrow();
    return { token, keyId: row.signing_key_id };
  }

  /** Waits until the invitation of every pre-registration of the tenant is sent, so retiring a key cannot break a queued email. */
  async function waitForInvitationsSent(): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const unsent = await server.runtime.db
        .selectFrom('outbound_emails')
        .select('id')
        .where('tenant_id', '=', rotationTenant.tenantId)
        .where('sent_at', 'is', null)
        .execute();
      if (unsent.length === 0) return;
      if (Date.now() > deadline) throw new Error(`${unsent.length} invitation emails were still unsent after 15 s.`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('keeps earlier QR codes working', { timeout: 60_000 }, async () => {
    const before = await openInvitation();

    const rotated = await visitorflow('tenants', 'rotate-signing-key', '--tenant', rotationTenant.tenantId);
    const after = await openInvitation();
    const oldScan = await rotationKiosk.client.post('/v1/kiosk/checkins', { qr_token: before.token });
    const newScan = await rotationKiosk.client.post('/v1/kiosk/checkins', { qr_token: after.token });

    expect(rotated.code, rotated.stderr).toBe(0);
    expect(after.keyId).not.toBe(before.keyId);
    expect(oldScan.status).toBe(201);
    expect(newScan.status).toBe(201);
  });

  it('retires earlier keys on request', { timeout: 60_000 }, async () => {
    const before = await openInvitation();
    await waitForInvitationsSent();

    const rotated = await visitorflow('tenants', 'rotate-signing-key', '--tenant', rotationTenant.tenantId, '--retire-previous');
    const after = await openInvitation();
    const oldScan = await rotationKiosk.client.post('/v1/kiosk/checkins', { qr_token: before.token });
    const newScan = await rotationKiosk.client.post('/v1/kiosk/checkins', { qr_token: after.token });

    expect(rotated.code, rotated.stderr).toBe(0);
    expect(after.keyId).not.toBe(before.keyId);
    expectProblem(oldScan, 422, 'checkin-token-invalid');
    expect(newScan.status).toBe(201);
  });
});
