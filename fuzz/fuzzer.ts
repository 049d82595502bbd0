import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import fc from 'fast-check';
import type { Kysely } from 'kysely';

import type { Database } from '../server/src/db/schema';
import { assertMatchesContract } from '../test/support/contract';
import { decodeQr } from '../test/support/kiosk';
import { expectedStatuses, hasAcceptanceRule } from './expectations';
import { materialize, requestTarget, type ConcreteRequest } from './materialize';
import { edgeMutations, invalidMutations, SchemaCheck } from './mutations';
import { canGenerateBody, planArbitrary, type Plan, type PlanKind } from './plans';
import { seedWorld } from './seed';
import { loadFuzzSpec, type FuzzSpec } from './spec';
import { isObject, type World } from './world';

export interface FuzzOptions {
  /** Base URL of a server started by the caller on 127.0.0.1. */
  baseUrl: string;
  /** The server's database, used only to create the fuzz tenants and their keys. */
  db: Kysely<Database>;
  /** Generated requests to send (fast-check runs), not counting seeding and shrinking. */
  requests: number;
  seed: number;
  log?: (line: string) => void;
}

export interface FuzzFailure {
  /** The check that failed. */
  message: string;
  /** The shrunk request, as text: method, target, headers, body. */
  request: string;
  status: number;
  requestId: string;
  responseBody: string;
}

export interface FuzzSummary {
  seed: number;
  /** Every HTTP request the fuzzer sent, including seeding and shrinking. */
  requestsSent: number;
  generatedRuns: number;
  durationMs: number;
  byKind: Record<PlanKind, number>;
  byOperation: Record<string, Record<string, number>>;
  /** Operations whose valid requests are checked only for what holds for every response. */
  withoutAcceptanceRule: string[];
  /** Operations whose request body the fuzzer cannot build; they still get invalid-input and auth requests. */
  withoutValidBody: string[];
  failure: FuzzFailure | undefined;
}

interface Outcome {
  failure?: FuzzFailure;
}

/**
 * Seeds the fuzz tenants, then sends `requests` generated requests and checks every response.
 * Stops at the first failing check, after fast-check has shrunk the request that caused it.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const spec = await loadFuzzSpec();
  const hookSink = await startHookSink();
  try {
    const world = await seedWorld(options.baseUrl, options.db);
    const runner = new Runner(spec, world, options.baseUrl, hookSink.url);

    let generatedRuns = 0;
    const property = fc.asyncProperty(planArbitrary(spec), async (plan) => {
      generatedRuns++;
      const outcome = await runner.execute(plan);
      if (outcome.failure) runner.lastFailure = outcome.failure;
      return outcome.failure === undefined;
    });
    const result = await fc.check(property, { seed: options.seed, numRuns: options.requests });

    const summary: FuzzSummary = {
      seed: options.seed,
      requestsSent: runner.requestsSent,
      generatedRuns,
      durationMs: Date.now() - started,
      byKind: runner.byKind,
      byOperation: runner.byOperation,
      withoutAcceptanceRule: spec.operations.filter((op) => !hasAcceptanceRule(op.id)).map((op) => op.id),
      withoutValidBody: spec.operations.filter((op) => !canGenerateBody(op)).map((op) => op.id),
      failure: result.failed ? runner.lastFailure : undefined,
    };
    if (result.failed && !summary.failure) {
      summary.failure = { message: String(result.errorInstance ?? 'property failed'), request: JSON.stringify(result.counterexample), status: 0, requestId: '', responseBody: '' };
    }
    log(formatSummary(summary));
    return summary;
  } finally {
    await new Promise<void>((resolve) => hookSink.server.close(() => resolve()));
  }
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

class Runner {
  requestsSent = 0;
  lastFailure: FuzzFailure | undefined;
  readonly byKind: Record<PlanKind, number> = { valid: 0, edge: 0, invalid: 0, auth: 0, method: 0 };
  readonly byOperation: Record<string, Record<string, number>> = {};
  readonly #check: SchemaCheck;
  #sequence = 0;

  constructor(
    readonly spec: FuzzSpec,
    readonly world: World,
    readonly baseUrl: string,
    readonly hookUrl: string,
  ) {
    this.#check = new SchemaCheck(spec);
  }

  async execute(plan: Plan): Promise<Outcome> {
    const operation = this.spec.operations.find((op) => op.id === plan.operationId)!;
    const now = Date.now();
    let request = materialize(plan, operation, { world: this.world, hookUrl: this.hookUrl, now, nextSequence: () => ++this.#sequence });
    const validExpected = expectedStatuses(request, this.world, now);
    const credentialUnusable = operation.auth === 'kioskToken' && !(request.kioskToken && this.world.tokenState(request.kioskToken)?.usable);

    let expected: number[] | undefined = validExpected;
    let description: string = plan.kind;
    switch (plan.kind) {
      case 'edge': {
        const mutations = edgeMutations(this.#check, request);
        const mutation = mutations[plan.mutation.site % Math.max(mutations.length, 1)];
        if (mutation) {
          request = mutation.request;
          description = `edge: ${mutation.description}`;
          // A hard but valid value may still be rejected as invalid. Otherwise the response must be as for any valid request.
          const edgeExpected = expectedStatuses(request, this.world, now);
          expected = edgeExpected && [...edgeExpected, 400];
        }
        break;
      }
      case 'invalid': {
        const mutations = invalidMutations(this.#check, request);
        const mutation = mutations[plan.mutation.site % mutations.length]!;
        request = mutation.request;
        description = `invalid: ${mutation.description}`;
        expected = credentialUnusable ? [...mutation.expected, 401] : mutation.expected;
        break;
      }
      case 'auth': {
        const { header, label } = this.#wrongCredential(request, plan.credential);
        const headers = { ...request.headers };
        delete headers.authorization;
        if (header !== undefined) headers.authorization = header;
        request = { ...request, headers, credentialLabel: label };
        description = `auth: ${label}`;
        expected = [401];
        break;
      }
      case 'method': {
        const defined = this.spec.methodsByPath.get(operation.path) ?? [];
        const method = [plan.method, ...METHODS].find((m) => !defined.includes(m));
        if (!method) break;
        // With a usable credential: the API authenticates before it matches the method, and a 401 on a method no operation defines has no schema to check.
        const token = this.world.activeTokens()[0]?.token;
        const headers = credentialUnusable && token ? { ...request.headers, authorization: `Bearer ${token}` } : request.headers;
        request = { ...request, method, headers, body: undefined, query: [] };
        description = `method: ${method} on a path that defines ${defined.join(', ')}`;
        expected = credentialUnusable && !token ? [401] : [405];
        break;
      }
      case 'valid':
        break;
    }

    this.byKind[plan.kind]++;
    return this.#sendAndCheck(request, description, expected);
  }

  #wrongCredential(request: ConcreteRequest, pick: number): { header: string | undefined; label: string } {
    const filler = `${pick}`.padEnd(32, 'Q');
    const otherKind =
      request.operation.auth === 'kioskToken'
        ? { header: `Bearer ${this.world.apiKey}`, label: 'an API key on a kiosk route' }
        : { header: `Bearer ${this.world.activeTokens()[0]?.token ?? `vfk_${filler}`}`, label: 'a device token on an API key route' };
    const replaced = this.world.deviceTokens.filter((t) => !this.world.tokenState(t.token)?.usable);
    const choices = [
      { header: undefined, label: 'no Authorization header' },
      { header: 'Bearer', label: 'Bearer without a token' },
      { header: 'Basic ZnV6ejpmdXp6', label: 'Basic credentials' },
      { header: `Bearer vfp_test_${filler}`, label: 'an unknown API key' },
      { header: `Bearer vfk_${filler}`, label: 'an unknown device token' },
      { header: `Bearer ${this.world.revokedCredentials[0]}`, label: 'a revoked API key' },
      { header: `Bearer ${this.world.revokedCredentials[1]}`, label: 'a revoked kiosk’s device token' },
      otherKind,
      ...replaced.map((t) => ({ header: `Bearer ${t.token}`, label: `the revoked or replaced device token of ${t.kioskId}` })),
    ];
    return choices[pick % choices.length]!;
  }

  async #sendAndCheck(request: ConcreteRequest, description: string, expected: number[] | undefined): Promise<Outcome> {
    const target = requestTarget(request);
    const headers = { ...request.headers };
    let body: string | Uint8Array | undefined;
    if (request.body) {
      headers['content-type'] = request.body.contentType;
      body = request.body.bytes ?? request.body.raw ?? JSON.stringify(request.body.json);
    }

    this.requestsSent++;
    const response = await fetch(new URL(target, this.baseUrl), { method: request.method, headers, body });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const contentType = response.headers.get('content-type') ?? '';
    const text = contentType.includes('json') || contentType.startsWith('text/') ? new TextDecoder().decode(bytes) : `<${bytes.length} bytes of ${contentType}>`;
    const requestId = response.headers.get('x-request-id') ?? '';
    const status = response.status;
    const statuses = (this.byOperation[request.operation.id] ??= {});
    statuses[status] = (statuses[status] ?? 0) + 1;

    const fail = (message: string): Outcome => ({
      failure: { message: `${description}: ${message}`, request: describeRequest(request, target), status, requestId, responseBody: text.slice(0, 800) },
    });

    let parsed: unknown = text;
    if (contentType.includes('json') && text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        return fail('the response body is not valid JSON although its content type says so');
      }
    }

    if (status >= 500) return fail(`server error ${status}`);
    if (!requestId) return fail('no x-request-id header');
    try {
      assertMatchesContract(request.method, new URL(target, this.baseUrl).pathname, status, contentType, parsed);
    } catch (error) {
      return fail((error as Error).message);
    }
    if (expected && !expected.includes(status)) return fail(`expected ${expected.join(' or ')}, got ${status}`);
    if (status === 405) {
      const allow = (response.headers.get('allow') ?? '').split(',').map((m) => m.trim().toUpperCase()).filter((m) => m !== '' && m !== 'HEAD');
      const defined = this.spec.methodsByPath.get(request.operation.path) ?? [];
      if (allow.length === 0) return fail('405 without an Allow header');
      if ([...defined].sort().join() !== [...allow].sort().join()) return fail(`Allow lists ${allow.join(', ')}, but the spec defines ${defined.join(', ')}`);
    }
    if (status < 300) {
      const consistency = this.#checkListFilters(request, parsed);
      if (consistency) return fail(consistency);
      this.#learn(request, parsed, bytes, contentType);
    }
    return {};
  }

  /** Checks that every item of a filtered list matches the filter, and that the kiosk host search returns only active hosts of its location. */
  #checkListFilters(request: ConcreteRequest, body: unknown): string | undefined {
    if (!isObject(body) || !Array.isArray(body.data)) return undefined;
    for (const [name, value] of request.query) {
      if (!['active', 'status', 'type', 'location_id', 'host_id'].includes(name)) continue;
      const stray = body.data.find((item) => isObject(item) && name in item && String(item[name]) !== value);
      if (stray) return `the list filtered by ${name}=${value} contains ${JSON.stringify(stray).slice(0, 200)}`;
    }
    if (request.operation.id === 'searchKioskHosts' && request.kioskToken) {
      const kiosk = this.world.tokenState(request.kioskToken)?.kiosk;
      for (const item of body.data) {
        const host = isObject(item) ? this.world.hosts.get(String(item.id)) : undefined;
        if (host && (!host.active || host.locationId !== kiosk?.locationId)) return `the kiosk host search returned ${host.id}, which is deactivated or at another location`;
      }
    }
    return undefined;
  }

  #learn(request: ConcreteRequest, body: unknown, bytes: Uint8Array, contentType: string): void {
    if (request.operation.id === 'getPreRegistrationQrCode' && contentType.startsWith('image/png')) {
      this.world.qrTokens.set(request.pathParams.id ?? '', decodeQr(Buffer.from(bytes)));
      return;
    }
    this.world.learn(request.operation.id, body, new URLSearchParams(request.query));
  }
}

/** Formats the request so a reader can replay it. The credential is named, not printed. */
function describeRequest(request: ConcreteRequest, target: string): string {
  const lines = [`${request.method} ${target}`, `  credential: ${request.credentialLabel}`];
  for (const [name, value] of Object.entries(request.headers)) if (name !== 'authorization') lines.push(`  ${name}: ${value}`);
  if (request.body) {
    lines.push(`  content-type: ${request.body.contentType}`);
    const shown = request.body.bytes ? `<${request.body.bytes.length} bytes>` : (request.body.raw ?? JSON.stringify(request.body.json));
    lines.push(`  body: ${shown.length > 600 ? `${shown.slice(0, 600)}… (${shown.length} characters)` : shown}`);
  }
  return lines.join('\n');
}

export function formatSummary(summary: FuzzSummary): string {
  const lines = [
    `fuzz: ${summary.generatedRuns} generated runs, ${summary.requestsSent} requests sent, seed ${summary.seed}, ${(summary.durationMs / 1000).toFixed(1)} s`,
    `  by kind: ${Object.entries(summary.byKind).map(([kind, count]) => `${kind} ${count}`).join(', ')}`,
    `  operations: ${Object.keys(summary.byOperation).length} reached`,
  ];
  for (const [operationId, statuses] of Object.entries(summary.byOperation).sort()) {
    lines.push(`    ${operationId.padEnd(28)} ${Object.entries(statuses).map(([status, count]) => `${status}×${count}`).join(' ')}`);
  }
  lines.push(`  valid requests checked only for contract and no 5xx (no acceptance rule): ${summary.withoutAcceptanceRule.join(', ') || 'none'}`);
  lines.push(`  no valid body generated (invalid-input and auth checks only): ${summary.withoutValidBody.join(', ') || 'none'}`);
  if (summary.failure) {
    const f = summary.failure;
    lines.push('FAILURE (shrunk by fast-check):', `  ${f.message}`, f.request.replace(/^/gm, '  '), `  → ${f.status}, x-request-id ${f.requestId}`, `  response: ${f.responseBody}`);
  } else {
    lines.push('  failures: 0');
  }
  return lines.join('\n');
}

/** Starts a local HTTP server on 127.0.0.1 for every URL the fuzzer puts in a request body (webhook endpoints), so none points elsewhere. */
async function startHookSink(): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => res.writeHead(204).end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
