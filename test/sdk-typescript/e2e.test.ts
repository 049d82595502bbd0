import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BadRequestError, KioskClient, NotFoundError, sdkOperations, VisitorFlow, type Event } from '../../sdk-typescript/src/index';
import { startReceiver, type ReceivedRequest, type WebhookReceiver } from '../support/receiver';
import { startTestServer, type TestServer } from '../support/server';
import { makeTenant, REFERENCE_VISITOR_VISIT, seedReferenceDirectory } from '../support/tenants';

// The smallest valid PNG (1×1, transparent), standing in for a kiosk photo.
const PHOTO_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

let server: TestServer;
let receiver: WebhookReceiver;
let client: VisitorFlow;
let kiosk: KioskClient;
/** `METHOD /path` of every request the SDK sent, to check that each SDK method ran. */
const sent: string[] = [];

const recordingFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  sent.push(`${request.method} ${new URL(request.url).pathname}`);
  return fetch(request);
};

beforeAll(async () => {
  receiver = await startReceiver();
  // The worker sends webhooks to the receiver on 127.0.0.1, which the test server allows.
  server = await startTestServer({ worker: 'webhooks' });
  const tenant = await makeTenant(server.runtime.db, 'sdk e2e');
  client = new VisitorFlow({ apiKey: tenant.testKey, baseURL: server.url, fetch: recordingFetch });
  kiosk = new KioskClient({ baseURL: server.url, fetch: recordingFetch });
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

/** Matches a delivery of one event type about one object to the URL labelled `?label`. */
function isDelivery(type: string, objectId: string, label: string) {
  return (request: ReceivedRequest) => request.body?.type === type && request.body?.data?.object?.id === objectId && request.path.endsWith(`?${label}`);
}

describe('SDK against real server', () => {
  it('calls every resource method', { timeout: 60_000 }, async () => {
    const location = await client.locations.create({ id: 'loc_mty_01', name: 'Monterrey Plant 1', timezone: 'America/Monterrey', locale: 'es-MX' });
    expect(location.id).toBe('loc_mty_01');
    expect((await client.locations.retrieve('loc_mty_01')).name).toBe('Monterrey Plant 1');
    expect((await client.locations.update('loc_mty_01', { name: 'Monterrey Plant One' })).name).toBe('Monterrey Plant One');
    const spare = await client.locations.create({ name: 'Spare dock', timezone: 'America/Monterrey' });
    expect((await client.locations.deactivate(spare.id)).active).toBe(false);
    expect((await client.locations.list()).data.map((l) => l.id)).toContain('loc_mty_01');
    const nda = await client.locations.publishNdaDocument('loc_mty_01', {
      texts: { en: { title: 'NDA', body: 'Keep it secret.' }, 'es-MX': { title: 'Acuerdo', body: 'Guárdelo en secreto.' } },
    });
    expect(nda.version).toBe(1);
    expect((await client.locations.listNdaDocuments('loc_mty_01')).data.map((d) => d.version)).toContain(1);

    const host = await client.hosts.create({ id: 'h_98412', name: 'Laura Garza', email: 'laura.garza@acme.com', location_id: 'loc_mty_01' });
    expect((await client.hosts.retrieve(host.id)).email).toBe('laura.garza@acme.com');
    expect((await client.hosts.update(host.id, { name: 'Laura Garza Ruiz' })).name).toBe('Laura Garza Ruiz');
    const leaving = await client.hosts.create({ name: 'Pedro Leal', email: 'pedro@acme.com', location_id: 'loc_mty_01' });
    expect((await client.hosts.deactivate(leaving.id)).active).toBe(false);
    expect((await client.hosts.list({ location_id: 'loc_mty_01' })).data.length).toBeGreaterThanOrEqual(1);

    const visitor = await client.visits.create({ type: 'visitor', host_id: 'h_98412', visitor: { name: 'Marisol Cruz', email: 'marisol@acme.com' }, location_id: 'loc_mty_01' });
    const driver = await client.visits.create({
      type: 'driver',
      driver: { name: 'J. Pérez', license_number: 'LIC-1234' },
      shipment: { bol_ref: 'BOL-88412', type: 'delivery', hazmat: false },
      vehicle: { tractor_plate: 'ABC-1234', trailer_plate: 'TR-998' },
      location_id: 'loc_mty_01',
    });
    const retrieved = await client.visits.retrieve(driver.id);
    expect(retrieved.type === 'driver' ? retrieved.driver.license_number : undefined).toBe('LIC-1234');
    expect((await client.visits.update(visitor.id, { status: 'checked_out' })).status).toBe('checked_out');
    const walked: string[] = [];
    for await (const visit of client.visits.list({ location_id: 'loc_mty_01', limit: 1 })) walked.push(visit.id);
    expect(walked).toEqual([driver.id, visitor.id]);

    const scheduledAt = new Date(Date.now() + 10 * 60_000).toISOString();
    const invited = await client.preRegistrations.create({ host_id: 'h_98412', visitor: { name: 'Andrés López', email: 'andres@acme.com' }, scheduled_at: scheduledAt });
    expect((await client.preRegistrations.retrieve(invited.id)).status).toBe('scheduled');
    expect((await client.preRegistrations.list()).data.map((p) => p.id)).toContain(invited.id);
    const png = await client.preRegistrations.qrPng(invited.id);
    expect([...png.slice(0, 4)]).toEqual(PNG_SIGNATURE);
    const dropped = await client.preRegistrations.create({ host_id: 'h_98412', visitor: { name: 'Ana Ruiz', email: 'ana@acme.com' }, scheduled_at: scheduledAt });
    expect((await client.preRegistrations.cancel(dropped.id)).status).toBe('cancelled');

    const lobby = await client.kiosks.create({ location_id: 'loc_mty_01', name: 'North lobby' });
    expect((await client.kiosks.retrieve(lobby.id)).name).toBe('North lobby');
    const code = await client.kiosks.createPairingCode(lobby.id);
    expect((await client.kiosks.list()).data.map((k) => k.id)).toContain(lobby.id);

    const pairing = await kiosk.pair(code.pairing_code);
    expect(pairing.kiosk.id).toBe(lobby.id);
    expect((await kiosk.searchHosts({ q: 'laura' })).data.map((h) => h.id)).toEqual(['h_98412']);
    const checkin = await kiosk.createCheckin({ check_in_code: invited.check_in_code });
    expect(checkin.requires).toEqual(['photo', 'nda']);
    const visitId = checkin.visit.id;
    expect((await kiosk.uploadVisitPhoto(visitId, PHOTO_PNG, 'image/png')).has_photo).toBe(true);
    const text = await kiosk.retrieveNda();
    expect(text.version).toBe(1);
    const signed = await kiosk.signVisitNda(visitId, {
      document_version: text.version,
      locale: 'es-MX',
      signer_name: 'Andrés López',
      typed_name: 'Andrés López',
      accepted_at: new Date().toISOString(),
    });
    expect(signed.status).toBe('onsite');
    expect(Buffer.from(await client.visits.retrievePhoto(visitId))).toEqual(PHOTO_PNG);
    expect((await kiosk.checkoutVisit(visitId)).status).toBe('checked_out');
    const walkIn = await kiosk.createVisit({ type: 'visitor', host_id: 'h_98412', visitor: { name: 'Rosa Díaz', email: 'rosa@acme.com' } });
    expect(walkIn.status).toBe('pending');

    expect((await client.kiosks.revoke(lobby.id)).status).toBe('revoked');

    const incident = await client.incidents.create({ type: 'tailgating', severity: 'medium', summary: 'Followed a driver through gate 2', visit_id: driver.id });
    expect((await client.incidents.retrieve(incident.id)).summary).toBe('Followed a driver through gate 2');
    expect((await client.incidents.update(incident.id, { status: 'investigating', assignee: 'security@acme.com' })).status).toBe('investigating');
    expect((await client.incidents.list({ status: 'investigating' })).data.map((i) => i.id)).toContain(incident.id);

    const endpoint = await client.webhookEndpoints.create({ url: `${receiver.url}?methods`, event_types: ['incident.updated'] });
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect((await client.webhookEndpoints.retrieve(endpoint.id)).url).toBe(`${receiver.url}?methods`);
    expect((await client.webhookEndpoints.update(endpoint.id, { description: 'SDK end-to-end' })).description).toBe('SDK end-to-end');
    expect((await client.webhookEndpoints.list()).data.map((e) => e.id)).toContain(endpoint.id);
    expect((await client.webhookEndpoints.rotateSecret(endpoint.id)).secret).not.toBe(endpoint.secret);
    const ping = await client.webhookEndpoints.test(endpoint.id);
    expect(ping.endpoint_id).toBe(endpoint.id);

    const events = await client.events.list({ type: 'incident.updated' });
    const updatedEvent = events.data.find((e) => e.data.object.id === incident.id);
    expect(updatedEvent?.type).toBe('incident.updated');
    expect((await client.events.retrieve(updatedEvent!.id)).data.object.status).toBe('investigating');
    const redelivery = await client.events.redeliver(updatedEvent!.id, { endpoint_id: endpoint.id });
    expect(redelivery.deliveries.map((d) => d.endpoint_id)).toEqual([endpoint.id]);
    await receiver.waitFor(isDelivery('incident.updated', incident.id, 'methods'));
    expect((await client.webhookEndpoints.listDeliveries(endpoint.id)).data.length).toBeGreaterThanOrEqual(1);
    await client.webhookEndpoints.delete(endpoint.id);
    expect(await client.webhookEndpoints.retrieve(endpoint.id).catch((e: unknown) => e)).toBeInstanceOf(NotFoundError);

    const unexercised = sdkOperations.filter((operation) => {
      const pattern = new RegExp(`^${operation.method} ${operation.path.replace(/\./g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);
      return !sent.some((request) => pattern.test(request));
    });
    expect(unexercised.map((o) => `${o.client}.${o.member}`)).toEqual([]);
  });

  it('verifies a real delivery with webhooks.verify', async () => {
    const tenant = await makeTenant(server.runtime.db, 'sdk e2e webhooks');
    await seedReferenceDirectory(server.client(tenant.testKey));
    const own = new VisitorFlow({ apiKey: tenant.testKey, baseURL: server.url });
    const endpoint = await own.webhookEndpoints.create({ url: `${receiver.url}?verify`, event_types: ['visit.created'] });
    const visit = await own.visits.create({ ...REFERENCE_VISITOR_VISIT, type: 'visitor' });

    const [request] = await receiver.waitFor(isDelivery('visit.created', visit.id, 'verify'));
    const event: Event = await own.webhooks.verify(request!.rawBody, request!.headers, endpoint.secret);

    expect(event.type).toBe('visit.created');
    expect(event.data.object).toEqual(visit);
    expect(event).toEqual(await own.events.retrieve(event.id));
    await expect(own.webhooks.verify(request!.rawBody.replace('Marisol', 'Mallory'), request!.headers, endpoint.secret)).rejects.toMatchObject({ reason: 'signature_mismatch' });
  });

  it('verifies a delivery with either secret during a rotation', async () => {
    const endpoint = await client.webhookEndpoints.create({ url: `${receiver.url}?rotation`, event_types: ['ping'] });
    const rotated = await client.webhookEndpoints.rotateSecret(endpoint.id);
    await client.webhookEndpoints.test(endpoint.id);

    const [request] = await receiver.waitFor(isDelivery('ping', endpoint.id, 'rotation'));

    expect(String(request!.headers['x-vf-signature']).split(' ')).toHaveLength(2);
    for (const secret of [endpoint.secret, rotated.secret]) {
      expect((await client.webhooks.verify(request!.rawBody, request!.headers, secret!)).type).toBe('ping');
    }
  });

  it('throws NotFoundError with request id', async () => {
    const error = await client.visits.retrieve('vis_doesnotexist').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    const notFound = error as NotFoundError;
    expect(notFound.status).toBe(404);
    expect(notFound.message).toMatch(/^404 /);
    expect(notFound.requestId).toMatch(/.+/);
    expect(notFound.requestId).toBe(notFound.headers?.get('x-request-id'));
  });

  it('throws BadRequestError with field errors', async () => {
    const invalid = { type: 'visitor', host_id: 'h_98412', visitor: { name: 'X', email: 'not-an-email' }, location_id: 'loc_mty_01' } as const;
    const error = await client.visits.create(invalid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(Object.keys((error as BadRequestError).fieldErrors)).toContain('visitor.email');
  });

  it('rejects kiosk call before pairing', async () => {
    const unpaired = new KioskClient({ baseURL: server.url });
    await expect(unpaired.retrieveNda()).rejects.toThrow('Missing device token: pass it as new KioskClient({ deviceToken }) or call pair(code) first.');
  });
});
