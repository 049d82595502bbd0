import { describe, expect, it } from 'vitest';

import { parseModel } from '../../generator/src/parse';
import { SpecError } from '../../generator/src/problems';
import { methodName, resourceName } from '../../generator/src/sdk/naming';
import { planSdk } from '../../generator/src/sdk/plan';

describe('SDK names', () => {
  it.each([
    ['Visits', 'visits'],
    ['Pre-registrations', 'preRegistrations'],
    ['Webhook endpoints', 'webhookEndpoints'],
    ['Events', 'events'],
    ['Incidents', 'incidents'],
  ])('resource of tag %s', (tag, resource) => {
    expect(resourceName(tag)).toBe(resource);
  });

  it.each([
    ['createVisit', 'Visits', 'create'],
    ['listVisits', 'Visits', 'list'],
    ['retrieveVisitPhoto', 'Visits', 'retrievePhoto'],
    ['cancelPreRegistration', 'Pre-registrations', 'cancel'],
    ['createKioskPairingCode', 'Kiosks', 'createPairingCode'],
    ['listNdaDocuments', 'Locations', 'listNdaDocuments'],
    ['pairKiosk', 'Kiosk', 'pair'],
    ['listEvents', 'Events', 'list'],
    ['retrieveEvent', 'Events', 'retrieve'],
    ['redeliverEvent', 'Events', 'redeliver'],
    ['createWebhookEndpoint', 'Webhook endpoints', 'create'],
    ['rotateWebhookEndpointSecret', 'Webhook endpoints', 'rotateSecret'],
    ['listWebhookEndpointDeliveries', 'Webhook endpoints', 'listDeliveries'],
    ['testWebhookEndpoint', 'Webhook endpoints', 'test'],
    ['updateIncident', 'Incidents', 'update'],
    ['listCategories', 'Categories', 'list'],
  ])('method of %s under %s', (operationId, tag, method) => {
    expect(methodName(operationId, tag)).toBe(method);
  });
});

/** Builds a spec with the given operations under /v1/things/{n}, each with an API key, plus one public health check. */
function spec(operations: { id: string; tag: string; extra?: string; security?: string }[]): string {
  const paths = operations.map((op, index) => `  /v1/things/${index}:
    post:
      operationId: ${op.id}
      tags: [${op.tag}]${op.security ?? ''}${op.extra ?? ''}
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: { type: object }
`);
  return `openapi: 3.1.0
info: { title: T, version: 1.0.0 }
security:
  - apiKey: []
paths:
  /healthz:
    get:
      operationId: getHealth
      tags: [Meta]
      security: []
      responses:
        '200': { description: OK }
${paths.join('')}components:
  securitySchemes:
    apiKey: { type: http, scheme: bearer }
    kioskToken: { type: http, scheme: bearer }
`;
}

describe('planSdk', () => {
  it('groups operations by tag', () => {
    const plan = planSdk(parseModel(spec([
      { id: 'listEvents', tag: 'Events' },
      { id: 'createWebhookEndpoint', tag: '"Webhook endpoints"' },
      { id: 'createIncident', tag: 'Incidents' },
    ])));
    const members = [...plan.resources].map(([resource, methods]) => `${resource}: ${methods.map((m) => m.name).join(', ')}`);
    expect(members).toEqual(['events: list', 'webhookEndpoints: create', 'incidents: create']);
  });

  it('omits public-only tags', () => {
    const plan = planSdk(parseModel(spec([{ id: 'listEvents', tag: 'Events' }])));
    expect(plan.resources.has('meta')).toBe(false);
  });

  it('puts kiosk-token tags on KioskClient', () => {
    const plan = planSdk(parseModel(spec([
      { id: 'pairKiosk', tag: 'Kiosk', security: '\n      security: []' },
      { id: 'createKioskVisit', tag: 'Kiosk', security: '\n      security: [{ kioskToken: [] }]' },
    ])));
    expect(plan.kiosk.map((m) => m.name)).toEqual(['pair', 'createVisit']);
    expect(plan.resources.size).toBe(0);
  });

  it('puts untagged operations under misc', () => {
    const plan = planSdk(parseModel(spec([{ id: 'listThings', tag: '' }])));
    expect(plan.resources.get('misc')?.map((m) => m.name)).toEqual(['listThings']);
  });

  it('applies x-sdk-method', () => {
    const plan = planSdk(parseModel(spec([{ id: 'getThingQrCode', tag: 'Things', extra: '\n      x-sdk-method: qrPng' }])));
    expect(plan.resources.get('things')?.map((m) => m.name)).toEqual(['qrPng']);
  });

  it('reports clashing names with path', () => {
    const model = parseModel(spec([
      { id: 'listThings', tag: 'Things' },
      { id: 'listThing', tag: 'Things' },
    ]));
    expect(() => planSdk(model)).toThrow(SpecError);
    expect(() => planSdk(model)).toThrow('#/paths/~1v1~1things~11/post: SDK method things.list is also derived from listThings');
  });

  it('reports reserved resource name', () => {
    expect(() => planSdk(parseModel(spec([{ id: 'listWebhooks', tag: 'Webhooks' }])))).toThrow('which the hand-written SDK already defines');
  });

  it('rejects invalid x-sdk-method', () => {
    expect(() => parseModel(spec([{ id: 'listThings', tag: 'Things', extra: '\n      x-sdk-method: Qr-Png' }]))).toThrow('#/paths/~1v1~1things~10/post/x-sdk-method: x-sdk-method must be a lowerCamelCase method name');
  });
});
