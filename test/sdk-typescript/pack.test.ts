import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SDK_FOLDER = join(import.meta.dirname, '../../sdk-typescript');
const TIMEOUT_MS = 120_000;

// What a consumer does first: construct both clients, check the resources and error classes,
// and verify a webhook (WebCrypto) without a server.
const SMOKE_BODY = `
const client = new VisitorFlow({ apiKey: 'vfp_test_pack' });
const kiosk = new KioskClient({ deviceToken: 'vfk_pack' });
const secret = 'whsec_' + btoa('pack-test-key');
let reason;
await client.webhooks.verify('{}', { 'x-vf-signature': 'sha256=00', 'x-vf-timestamp': String(Math.floor(Date.now() / 1000)), 'x-vf-event-id': 'evt_1' }, secret).catch((e) => { reason = e.reason; });
console.log(JSON.stringify({
  list: typeof client.visits.list,
  qrPng: typeof client.preRegistrations.qrPng,
  checkin: typeof kiosk.createCheckin,
  notFound: new NotFoundError(404, undefined, undefined, '404') instanceof Error,
  reason,
}));
`;
const EXPECTED = { list: 'function', qrPng: 'function', checkin: 'function', notFound: true, reason: 'signature_mismatch' };

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'visitorflow-sdk-pack-'));
  await run('npm', ['pack', '--pack-destination', scratch], { cwd: SDK_FOLDER, timeout: TIMEOUT_MS });
  const tarball = (await readdir(scratch)).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball to ${scratch}`);
  await writeFile(join(scratch, 'package.json'), JSON.stringify({ name: 'sdk-consumer', private: true, version: '0.0.0' }));
  // The SDK has no runtime dependencies, so the install needs no registry.
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', `./${tarball}`], { cwd: scratch, timeout: TIMEOUT_MS });
  await writeFile(join(scratch, 'esm.mjs'), `import { VisitorFlow, KioskClient, NotFoundError } from '@visitorflow/sdk';\n${SMOKE_BODY}`);
  await writeFile(join(scratch, 'cjs.cjs'), `const { VisitorFlow, KioskClient, NotFoundError } = require('@visitorflow/sdk');\n(async () => {${SMOKE_BODY}})();`);
}, TIMEOUT_MS);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('packed SDK', () => {
  it('installs without dependencies', async () => {
    const installed = (await readdir(join(scratch, 'node_modules'))).filter((name) => !name.startsWith('.'));
    expect(installed).toEqual(['@visitorflow']);
    const files = await readdir(join(scratch, 'node_modules/@visitorflow/sdk/dist'), { recursive: true });
    expect(files).toEqual(expect.arrayContaining(['esm/index.js', 'esm/index.d.ts', 'cjs/index.js', 'cjs/index.d.ts', 'cjs/package.json']));
  });

  it('imports as ES module', async () => {
    const { stdout } = await run(process.execPath, ['esm.mjs'], { cwd: scratch });
    expect(JSON.parse(stdout)).toEqual(EXPECTED);
  });

  it('requires as CommonJS', async () => {
    const { stdout } = await run(process.execPath, ['cjs.cjs'], { cwd: scratch });
    expect(JSON.parse(stdout)).toEqual(EXPECTED);
  });
});
