import { join } from 'node:path';

import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';

import type { KioskClient, Visit, VisitorFlow } from '../../sdk-typescript/src/index';

/**
 * Compile-time checks. `npm run typecheck` compiles this file, and the test below compiles it
 * again, so an `@ts-expect-error` that no longer finds an error fails `npm test` as well.
 */
function narrows(visit: Visit): string {
  if (visit.type === 'driver') {
    expectTypeOf(visit.driver.license_number).toEqualTypeOf<string>();
    // @ts-expect-error A driver visit has no visitor.
    return visit.visitor.name;
  }
  expectTypeOf(visit.visitor.name).toEqualTypeOf<string>();
  // @ts-expect-error A visitor visit has no vehicle.
  return visit.vehicle.tractor_plate;
}

async function rejectsWrongFields(client: VisitorFlow, kiosk: KioskClient): Promise<void> {
  // @ts-expect-error `vistor` is not a field of a visitor visit.
  await client.visits.create({ type: 'visitor', host_id: 'h_1', vistor: { name: 'A' }, location_id: 'loc_1' });
  // @ts-expect-error A driver visit needs its shipment.
  await client.visits.create({ type: 'driver', driver: { name: 'J', license_number: 'L' }, vehicle: { tractor_plate: 'P' }, location_id: 'loc_1' });
  // @ts-expect-error The only status a visit can be updated to is checked_out.
  await client.visits.update('vis_1', { status: 'onsite' });
  // @ts-expect-error Kiosk routes are not on the API-key client.
  await client.createCheckin({ qr_token: 'v1.x' });
  // @ts-expect-error The photo needs a media type.
  await kiosk.uploadVisitPhoto('vis_1', new Uint8Array());
}

describe('SDK types', () => {
  it('list items are visits', () => {
    expectTypeOf<VisitorFlow['visits']['list']>().returns.toExtend<AsyncIterable<Visit>>();
    expectTypeOf<VisitorFlow['preRegistrations']['qrPng']>().returns.resolves.toEqualTypeOf<Uint8Array>();
    expect([narrows, rejectsWrongFields]).toHaveLength(2);
  });

  it('file compiles with expected errors only', { timeout: 60_000 }, () => {
    const root = join(import.meta.dirname, '../..');
    const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    if (!config) throw new Error('tsconfig.json could not be read');
    const program = ts.createProgram([import.meta.filename, join(root, 'types/body-init.d.ts')], config.options);
    const messages = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(messages).toEqual([]);
  });
});
