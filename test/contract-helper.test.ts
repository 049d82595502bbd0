import { describe, expect, it } from 'vitest';

import { assertMatchesContract } from './support/contract';

// The response checker guards every other test, so it gets tests of its own.
describe('assertMatchesContract', () => {
  const visit = {
    id: 'vis_abc',
    type: 'driver',
    status: 'onsite',
    location_id: 'loc_mty_01',
    driver: { name: 'J. Pérez', license_number: 'LIC-1234' },
    shipment: { bol_ref: 'BOL-88412', type: 'delivery', hazmat: false },
    vehicle: { tractor_plate: 'ABC-1234', trailer_plate: null },
    checked_in_at: '2026-04-30T14:21:09Z',
    checked_out_at: null,
    host_notified: false,
    pre_registration_id: null,
    kiosk_id: null,
    has_photo: false,
    nda: null,
    livemode: false,
    created_at: '2026-04-30T14:21:09Z',
    updated_at: '2026-04-30T14:21:09Z',
  };

  it('accepts a body that matches the schema', () => {
    expect(() => assertMatchesContract('GET', '/v1/visits/vis_abc', 200, 'application/json', visit)).not.toThrow();
  });

  it('rejects a body missing a required field', () => {
    const { status: _status, ...withoutStatus } = visit;
    expect(() => assertMatchesContract('GET', '/v1/visits/vis_abc', 200, 'application/json', withoutStatus)).toThrow(/status/);
  });

  it('rejects a list that is not in the envelope', () => {
    expect(() => assertMatchesContract('GET', '/v1/visits', 200, 'application/json', [visit])).toThrow(/does not match/);
  });

  it('rejects an undocumented status', () => {
    expect(() => assertMatchesContract('GET', '/v1/visits/vis_abc', 500, 'application/problem+json', {})).toThrow(/not documented/);
  });

  it('rejects a problem document without its members', () => {
    expect(() => assertMatchesContract('GET', '/v1/visits/vis_abc', 404, 'application/problem+json', { error: 'x' })).toThrow(/does not match/);
  });
});
