import { existsSync } from 'node:fs';

import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTestServer, type TestServer } from './support/server';

// Debian's chromium package; playwright never downloads a browser here.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') {
  throw new Error(`${CHROMIUM} is missing; .ci/run installs Debian's chromium package before the tests.`);
}

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  server = await startTestServer();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe.skipIf(!available)('GET /docs in Chromium', () => {
  it('renders the visits operations', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    // Requests that completed: the page's Content-Security-Policy stops any to another host
    // (Redoc's bundle links a logo on a CDN) before it leaves the browser.
    const loaded: string[] = [];
    page.on('requestfinished', (request) => loaded.push(request.url()));

    const response = await page.goto(`${server.url}/docs`);
    const operation = page.getByRole('heading', { name: 'Check in a visitor or a truck driver' });
    await operation.waitFor({ timeout: 30_000 });

    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    expect(await operation.isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'List visits' }).isVisible()).toBe(true);
    expect(loaded.filter((url) => !url.startsWith(server.url) && !url.startsWith('data:') && !url.startsWith('blob:'))).toEqual([]);
  });
});
