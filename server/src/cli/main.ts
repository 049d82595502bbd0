import { parseArgs } from 'node:util';

import { loadConfig } from '../config';
import type { Mode } from '../http/operation';
import { startWorker } from '../jobs/worker';
import { createLogger } from '../log';
import { openRuntime, type Runtime } from '../runtime';
import { rotateSigningKey } from '../checkin/token';
import { createApiKey, createTenant, listApiKeys, revokeApiKey, type TenantContact } from '../tenants';

const USAGE = `Usage: npx visitorflow <command> [options]

Operator commands. They work on the same database as \`npm start\`: DATABASE_URL when set,
otherwise the embedded PostgreSQL under .data/ (started for the command if it is not running).

  tenants create --name NAME [--contact-email EMAIL] [--contact-locale en|es-MX] [--json]
      Create a tenant with one live and one test API key. Keys are shown only here.
      The contact (locale default en) is emailed when one of its webhook endpoints is disabled.
  tenants set-limits --tenant TENANT_ID --reads N --writes N
      Give a tenant its own budgets in requests per minute (live and test each get them).
      Running servers apply the change within RATE_LIMIT_OVERRIDE_TTL_MS (5 s by default).
  tenants set-limits --tenant TENANT_ID --reset
      Remove the tenant's budgets so the defaults apply again.
  tenants rotate-signing-key --tenant TENANT_ID [--retire-previous]
      Sign new pre-registration QR codes with a new key. QR codes already sent keep working
      unless --retire-previous is given, which invalidates them at once.
  keys create --tenant TENANT_ID --mode live|test [--name NAME] [--json]
      Create another API key for a tenant.
  keys list --tenant TENANT_ID [--json]
      List a tenant's keys (id, mode, last four characters, created, revoked).
  keys revoke KEY_ID
      Revoke a key; requests with it answer 401 from then on.
  worker
      Run only the background worker (emails and webhook deliveries), without the HTTP API.
  help
      Print this text.`;

/** A mistake in the command line: printed with the usage hint, exit code 2. */
class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [group, action, ...rest] = argv;
  if (!group || group === 'help' || group === '--help' || group === '-h') {
    console.log(USAGE);
    return 0;
  }
  if (group === 'worker') return runWorker();

  const command = `${group} ${action ?? ''}`.trim();
  const handlers: Record<string, (args: string[], runtime: Runtime) => Promise<void>> = {
    'tenants create': tenantsCreate,
    'tenants set-limits': tenantsSetLimits,
    'tenants rotate-signing-key': tenantsRotateSigningKey,
    'keys create': keysCreate,
    'keys list': keysList,
    'keys revoke': keysRevoke,
  };
  const handler = handlers[command];
  if (!handler) throw new UsageError(`Unknown command "${command}". Commands: ${Object.keys(handlers).join(', ')}, worker, help.`);

  const config = loadConfig();
  const runtime = await openRuntime(config, createLogger(process.env.LOG_LEVEL ?? 'warn', 2));
  try {
    await handler(rest, runtime);
  } finally {
    await runtime.close();
  }
  return 0;
}

async function tenantsCreate(args: string[], runtime: Runtime): Promise<void> {
  const { values } = parse(args, {
    name: { type: 'string' },
    'contact-email': { type: 'string' },
    'contact-locale': { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  const name = values.name?.trim();
  if (!name) throw new UsageError('tenants create needs --name, such as --name "Acme".');
  const contact = parseContact(values['contact-email'], values['contact-locale']);

  const { tenant, keys } = await createTenant(runtime.db, name, contact);
  const output = {
    tenant: {
      id: tenant.id,
      name: tenant.name,
      contact_email: tenant.contact_email,
      contact_locale: tenant.contact_locale,
      created_at: tenant.created_at.toISOString(),
    },
    keys: { live: { id: keys.live.id, secret: keys.live.secret }, test: { id: keys.test.id, secret: keys.test.secret } },
  };
  if (values.json) {
    console.log(JSON.stringify(output, null, 2));
    return;
  }
  console.log(`Created tenant ${tenant.id} (${tenant.name}). Save these keys now; they are not shown again:`);
  console.log(`  live key ${keys.live.id}: ${keys.live.secret}`);
  console.log(`  test key ${keys.test.id}: ${keys.test.secret}`);
}

function parseContact(email: string | undefined, locale: string | undefined): TenantContact | undefined {
  if (email === undefined) {
    if (locale !== undefined) throw new UsageError('--contact-locale needs --contact-email.');
    return undefined;
  }
  // A light check: the address only has to reach a mail server, which does the real validation.
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
    throw new UsageError(`--contact-email must be an email address such as ops@acme.com, got "${email}".`);
  }
  if (locale !== undefined && locale !== 'en' && locale !== 'es-MX') throw new UsageError(`--contact-locale must be en or es-MX, got "${locale}".`);
  return { email, locale: locale as TenantContact['locale'] };
}

async function tenantsSetLimits(args: string[], runtime: Runtime): Promise<void> {
  const { values } = parse(args, {
    tenant: { type: 'string' },
    reads: { type: 'string' },
    writes: { type: 'string' },
    reset: { type: 'boolean', default: false },
  });
  if (!values.tenant) throw new UsageError('tenants set-limits needs --tenant TENANT_ID.');
  await requireTenant(runtime, values.tenant);

  if (values.reset) {
    if (values.reads !== undefined || values.writes !== undefined) throw new UsageError('Pass either --reset or --reads and --writes, not both.');
    await runtime.db.deleteFrom('tenant_rate_limits').where('tenant_id', '=', values.tenant).execute();
    console.log(`Tenant ${values.tenant} is back on the default budgets.`);
    return;
  }

  const reads = positiveInteger(values.reads, '--reads');
  const writes = positiveInteger(values.writes, '--writes');
  await runtime.db
    .insertInto('tenant_rate_limits')
    .values({ tenant_id: values.tenant, reads_per_minute: reads, writes_per_minute: writes })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ reads_per_minute: reads, writes_per_minute: writes, updated_at: new Date() }))
    .execute();
  console.log(`Tenant ${values.tenant} now has ${reads} reads and ${writes} writes per minute (each for live and for test).`);
}

async function tenantsRotateSigningKey(args: string[], runtime: Runtime): Promise<void> {
  const { values } = parse(args, { tenant: { type: 'string' }, 'retire-previous': { type: 'boolean', default: false } });
  if (!values.tenant) throw new UsageError('tenants rotate-signing-key needs --tenant TENANT_ID.');
  await requireTenant(runtime, values.tenant);

  const key = await rotateSigningKey(runtime.db, runtime.services.sealer, values.tenant);
  if (values['retire-previous']) {
    await runtime.db
      .updateTable('tenant_signing_keys')
      .set({ retired_at: new Date() })
      .where('tenant_id', '=', values.tenant)
      .where('id', '!=', key.id)
      .where('retired_at', 'is', null)
      .execute();
    console.log(`Tenant ${values.tenant} now signs with ${key.id}; earlier keys are retired, so QR codes already sent no longer work.`);
    return;
  }
  console.log(`Tenant ${values.tenant} now signs new QR codes with ${key.id}; QR codes already sent keep working.`);
}

function positiveInteger(raw: string | undefined, flag: string): number {
  const value = Number(raw);
  if (raw === undefined || !Number.isInteger(value) || value < 1 || value > 1_000_000) {
    throw new UsageError(`${flag} must be a whole number of requests per minute from 1 to 1000000, got ${raw === undefined ? 'nothing' : `"${raw}"`}.`);
  }
  return value;
}

async function keysCreate(args: string[], runtime: Runtime): Promise<void> {
  const { values } = parse(args, {
    tenant: { type: 'string' },
    mode: { type: 'string' },
    name: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (!values.tenant) throw new UsageError('keys create needs --tenant TENANT_ID.');
  if (values.mode !== 'live' && values.mode !== 'test') throw new UsageError('keys create needs --mode live or --mode test.');
  await requireTenant(runtime, values.tenant);

  const key = await createApiKey(runtime.db, values.tenant, values.mode as Mode, values.name ?? null);
  if (values.json) console.log(JSON.stringify({ id: key.id, mode: key.mode, secret: key.secret }, null, 2));
  else console.log(`Created ${key.mode} key ${key.id}. Save it now; it is not shown again:\n  ${key.secret}`);
}

async function keysList(args: string[], runtime: Runtime): Promise<void> {
  const { values } = parse(args, { tenant: { type: 'string' }, json: { type: 'boolean', default: false } });
  if (!values.tenant) throw new UsageError('keys list needs --tenant TENANT_ID.');
  await requireTenant(runtime, values.tenant);

  const keys = await listApiKeys(runtime.db, values.tenant);
  const rows = keys.map((k) => ({
    id: k.id,
    mode: k.mode,
    name: k.name,
    ends_with: k.secret_last4,
    created_at: k.created_at.toISOString(),
    revoked_at: k.revoked_at?.toISOString() ?? null,
  }));
  if (values.json) console.log(JSON.stringify(rows, null, 2));
  else console.table(rows);
}

async function keysRevoke(args: string[], runtime: Runtime): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
  const keyId = positionals[0];
  if (!keyId) throw new UsageError('keys revoke needs the key id, such as key_k3q9b1x7c2mzt4hw8pd5.');
  if (!(await revokeApiKey(runtime.db, keyId))) throw new UsageError(`No API key with id "${keyId}".`);
  console.log(`Revoked ${keyId}.`);
}

async function runWorker(): Promise<number> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const runtime = await openRuntime(config, log);
  const worker = await startWorker({ pool: runtime.pool, db: runtime.db, config, log });

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await worker.stop();
  await runtime.close();
  return 0;
}

async function requireTenant(runtime: Runtime, tenantId: string): Promise<void> {
  const tenant = await runtime.db.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst();
  if (!tenant) throw new UsageError(`No tenant with id "${tenantId}".`);
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; default?: string | boolean }>;

function parse<Options extends OptionSpec>(args: string[], options: Options) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

// process.exit rather than process.exitCode: tsx's loader, which the bin script registers,
// does not pass exitCode through.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`visitorflow: ${error.message}\nRun \`npx visitorflow help\` for usage.`);
      process.exit(2);
    }
    console.error(error);
    process.exit(1);
  },
);
