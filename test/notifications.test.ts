import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createMailer } from '../server/src/jobs/mailer';
import { sendEmail } from '../server/src/jobs/send-email';
import { createLogger } from '../server/src/log';
import type { ApiClient } from './support/client';
import { startTestServer, type TestServer } from './support/server';
import { startMailSink, type MailSink } from './support/smtp';
import { makeTenant, REFERENCE_VISITOR_VISIT, seedReferenceDirectory, type TestTenant } from './support/tenants';

let mail: MailSink;
let server: TestServer;
let tenant: TestTenant;
let api: ApiClient;

beforeAll(async () => {
  mail = await startMailSink();
  server = await startTestServer({ worker: true, config: { smtpUrl: mail.url } });
  tenant = await makeTenant(server.runtime.db, 'notifications');
  api = server.client(tenant.testKey);
  await seedReferenceDirectory(api);
});

afterAll(async () => {
  await server?.close();
  await mail?.close();
});

/** Matches the email about one visit: its text names the visit id. */
function aboutVisit(visitId: string) {
  return (message: ParsedMail) => message.text?.includes(visitId) ?? false;
}

function emailsOf(visitId: string) {
  return server.runtime.db
    .selectFrom('outbound_emails')
    .selectAll()
    .where('tenant_id', '=', tenant.tenantId)
    .where('mode', '=', 'test')
    .where('visit_id', '=', visitId)
    .execute();
}

describe('host arrival email', () => {
  it('reaches the host through SMTP in the location locale', async () => {
    const visit = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);
    expect(visit.body.host_notified).toBe(true);

    const message = await mail.waitFor(aboutVisit(visit.body.id));

    expect(message?.to).toMatchObject({ text: 'laura.garza@acme.com' });
    expect(message?.subject).toBe('Marisol Cruz llegó a Monterrey Plant 1');
    expect(message?.text).toContain('Marisol Cruz (Acme Co) registró su llegada');
    expect(message?.text).toContain(visit.body.id);
    expect(message?.html).toContain('<strong>Marisol Cruz</strong>');
    expect(message?.messageId).toMatch(/^<email_[a-z0-9]+@visitorflow\.invalid>$/);
  });

  it('sends in English for an English location', async () => {
    await api.post('/v1/locations', { id: 'loc_hou_01', name: 'Houston DC', timezone: 'America/Chicago', locale: 'en' });
    await api.post('/v1/hosts', { id: 'h_hou_1', name: 'Sam Lee', email: 'sam.lee@acme.com', location_id: 'loc_hou_01' });

    const visit = await api.post('/v1/visits', { ...REFERENCE_VISITOR_VISIT, host_id: 'h_hou_1', location_id: 'loc_hou_01' });
    const message = await mail.waitFor(aboutVisit(visit.body.id));

    expect(message.subject).toBe('Marisol Cruz has arrived at Houston DC');
    expect(message.text).toContain('checked in at Houston DC');
  });

  it('escapes visitor input in the HTML part', async () => {
    const visit = await api.post('/v1/visits', { ...REFERENCE_VISITOR_VISIT, visitor: { name: '<b>Eve</b>', email: 'eve@acme.com' } });
    const message = await mail.waitFor(aboutVisit(visit.body.id));

    expect(message.html).toContain('&#60;b&#62;Eve&#60;/b&#62;');
    expect(message.html).not.toContain('<b>Eve</b>');
  });

  it('is recorded and queued exactly once per visit', async () => {
    const visit = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);
    await mail.waitFor(aboutVisit(visit.body.id));
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const rows = await emailsOf(visit.body.id);

    expect(rows).toHaveLength(1);
    expect(rows[0]?.sent_at).toBeInstanceOf(Date);
    expect((await mail.refresh()).filter(aboutVisit(visit.body.id))).toHaveLength(1);
  });

  it('is not sent again when the job repeats', async () => {
    const visit = await api.post('/v1/visits', REFERENCE_VISITOR_VISIT);
    await mail.waitFor(aboutVisit(visit.body.id));
    const [row] = await emailsOf(visit.body.id);
    const log = createLogger('silent');
    const mailer = createMailer({ smtpUrl: mail.url, from: 'test@visitorflow.invalid', dataDir: '/nonexistent', log });

    await sendEmail({ tenant_id: tenant.tenantId, mode: 'test', email_id: row!.id }, { db: server.runtime.db, mailer, sealer: server.runtime.services.sealer, log });
    mailer.close();

    expect((await mail.refresh()).filter(aboutVisit(visit.body.id))).toHaveLength(1);
  });

  it('queues nothing when the visit is rejected', async () => {
    // Counted for this file's tenant only: other test files add emails at the same time. Every
    // email job is added with its outbound_emails row in one transaction, so no row means no job.
    const emails = () =>
      server.runtime.db.selectFrom('outbound_emails').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenant.tenantId).executeTakeFirstOrThrow();
    const before = await emails();

    const response = await api.post('/v1/visits', { ...REFERENCE_VISITOR_VISIT, host_id: 'h_missing' });
    const after = await emails();

    expect(response.status).toBe(400);
    expect(after.n).toBe(before.n);
  });

  it('is not queued for a driver visit', async () => {
    const visit = await api.post('/v1/visits', {
      type: 'driver',
      driver: { name: 'J. Pérez', license_number: 'LIC-1234' },
      shipment: { bol_ref: 'BOL-1', type: 'pickup', hazmat: true },
      vehicle: { tractor_plate: 'ABC-1234' },
      location_id: 'loc_mty_01',
    });

    expect(visit.body.host_notified).toBe(false);
    expect(await emailsOf(visit.body.id)).toHaveLength(0);
  });
});
