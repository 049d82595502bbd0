import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';

import { REPO_ROOT } from '../server/src/config';
import { startTestServer, type TestServer } from './support/server';

const run = promisify(execFile);

/** Runs `visitorflow <args>` the way `npx visitorflow` does, against this run's database. */
async function visitorflow(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node_modules/.bin/visitorflow', args, {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'warn' },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

describe('visitorflow CLI', () => {
  it('creates a tenant whose keys work', async () => {
    const result = await visitorflow('tenants', 'create', '--name', 'Acme', '--json');
    const created = JSON.parse(result.stdout);

    expect(result.code).toBe(0);
    expect(created.tenant.id).toMatch(/^ten_/);
    expect(created.tenant.name).toBe('Acme');
    expect(created.keys.live.secret).toMatch(/^vfp_live_[A-Za-z0-9]{32}$/);
    expect(created.keys.test.secret).toMatch(/^vfp_test_[A-Za-z0-9]{32}$/);
    expect((await server.client(created.keys.live.secret).get('/v1/visits')).status).toBe(200);
    expect((await server.client(created.keys.test.secret).get('/v1/visits')).status).toBe(200);
  });

  it('stores the tenant contact for webhook notices', async () => {
    const result = await visitorflow('tenants', 'create', '--name', 'Contact', '--contact-email', 'ops@acme.example', '--contact-locale', 'es-MX', '--json');
    const created = JSON.parse(result.stdout);
    const row = await server.runtime.db.selectFrom('tenants').selectAll().where('id', '=', created.tenant.id).executeTakeFirstOrThrow();

    expect(result.code).toBe(0);
    expect(created.tenant).toMatchObject({ contact_email: 'ops@acme.example', contact_locale: 'es-MX' });
    expect(row).toMatchObject({ contact_email: 'ops@acme.example', contact_locale: 'es-MX' });
  });

  it('stores only a hash of each key', async () => {
    const created = JSON.parse((await visitorflow('tenants', 'create', '--name', 'Hash check', '--json')).stdout);

    const rows = await server.runtime.db.selectFrom('api_keys').selectAll().where('tenant_id', '=', created.tenant.id).execute();

    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain(created.keys.live.secret);
      expect(JSON.stringify(row)).not.toContain(created.keys.test.secret);
    }
  });

  it('creates, lists and revokes keys', async () => {
    const tenant = JSON.parse((await visitorflow('tenants', 'create', '--name', 'Keys', '--json')).stdout).tenant;

    const key = JSON.parse((await visitorflow('keys', 'create', '--tenant', tenant.id, '--mode', 'test', '--name', 'ci', '--json')).stdout);
    const before = await server.client(key.secret).get('/v1/locations');
    const listed = JSON.parse((await visitorflow('keys', 'list', '--tenant', tenant.id, '--json')).stdout);
    const revoke = await visitorflow('keys', 'revoke', key.id);
    const after = await server.client(key.secret).get('/v1/locations');

    expect(before.status).toBe(200);
    expect(listed.map((k: { id: string }) => k.id)).toContain(key.id);
    expect(JSON.stringify(listed)).not.toContain(key.secret);
    expect(revoke.code).toBe(0);
    expect(after.status).toBe(401);
  });

  it.each([
    [['tenants', 'create'], /needs --name/],
    [['keys', 'create', '--tenant', 'ten_missing', '--mode', 'test'], /No tenant with id "ten_missing"/],
    [['keys', 'create', '--tenant', 'ten_x', '--mode', 'prod'], /--mode live or --mode test/],
    [['keys', 'revoke', 'key_missing'], /No API key with id "key_missing"/],
    [['tenants', 'delete'], /Unknown command "tenants delete"/],
    [['tenants', 'create', '--nmae', 'x'], /Unknown option '--nmae'/],
    [['tenants', 'create', '--name', 'x', '--contact-email', 'not-an-email'], /--contact-email must be an email address/],
    [['tenants', 'create', '--name', 'x', '--contact-email', 'a@b.example', '--contact-locale', 'fr'], /--contact-locale must be en or es-MX/],
    [['tenants', 'create', '--name', 'x', '--contact-locale', 'en'], /--contact-locale needs --contact-email/],
  ])('rejects %j with exit code 2', async (args, message) => {
    const result = await visitorflow(...args);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
