import { PHOTO_JPEG, PHOTO_PNG } from '../test/support/kiosk';
import type { Plan } from './plans';
import type { FuzzOperation } from './spec';
import { Placeholder, idPrefix } from './values';
import { isObject, type World } from './world';

/** A request ready to send, with every placeholder replaced. */
export interface ConcreteRequest {
  operation: FuzzOperation;
  method: string;
  pathParams: Record<string, string>;
  query: [string, string][];
  headers: Record<string, string>;
  /** The name of the credential in `authorization`, for messages (the secret is not printed). */
  credentialLabel: string;
  /** A JSON value, bytes, or raw text sent as it is (malformed JSON). */
  body: { contentType: string; json?: unknown; bytes?: Uint8Array; raw?: string } | undefined;
  /** For kiosk routes: the kiosk whose token is sent. */
  kioskToken: string | undefined;
}

// Operations that deactivate, revoke or move the object in their path; they never target the seeded anchors.
const CHANGES_ANCHORS = new Set(['deactivateLocation', 'deactivateHost', 'revokeKiosk', 'updateLocation', 'updateHost', 'createKioskPairingCode']);

export interface MaterializeContext {
  world: World;
  hookUrl: string;
  now: number;
  /** Gives every Idempotency-Key sent a new value, so one never repeats by accident. */
  nextSequence(): number;
}

/** Turns a plan into a concrete request against the current model. */
export function materialize(plan: Plan, operation: FuzzOperation, context: MaterializeContext): ConcreteRequest {
  const { world } = context;
  const headers: Record<string, string> = {};
  let credentialLabel = 'none';
  let kioskToken: string | undefined;

  if (operation.auth === 'apiKey') {
    headers.authorization = `Bearer ${world.apiKey}`;
    credentialLabel = 'the fuzz tenant’s test API key';
  } else if (operation.auth === 'kioskToken') {
    const active = world.activeTokens();
    const pool = plan.credential % 10 === 9 || active.length === 0 ? world.deviceTokens : active;
    const chosen = pool[plan.credential % Math.max(pool.length, 1)];
    if (chosen) {
      kioskToken = chosen.token;
      headers.authorization = `Bearer ${chosen.token}`;
      credentialLabel = `the device token of ${chosen.kioskId}${chosen.current ? '' : ' (replaced)'}`;
    }
  }
  if (plan.idempotencyKey && operation.model.parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key')) {
    headers['idempotency-key'] = `fuzz-${context.nextSequence()}-${plan.credential}`;
  }

  const kioskLocation = kioskToken ? world.tokenState(kioskToken)?.kiosk.locationId : undefined;
  const resolve = (value: unknown, protectAnchors: boolean): unknown => resolveValue(value, { ...context, operationId: operation.id, kioskLocation, protectAnchors });

  const pathParams: Record<string, string> = {};
  for (const [name, value] of Object.entries(plan.pathParams)) pathParams[name] = String(resolve(value, CHANGES_ANCHORS.has(operation.id)));
  const query: [string, string][] = [];
  for (const [name, value] of Object.entries(plan.query)) {
    const resolved = resolve(value, false);
    if (resolved !== undefined) query.push([name, String(resolved)]);
  }

  let body: ConcreteRequest['body'];
  if (plan.body) {
    const value = plan.body.value;
    if (isObject(value) && typeof value.image === 'string') body = { contentType: value.image, bytes: value.image === 'image/png' ? PHOTO_PNG : PHOTO_JPEG };
    else if (plan.body.mediaType.endsWith('json')) body = { contentType: plan.body.mediaType, json: fixBody(operation.id, resolve(value, CHANGES_ANCHORS.has(operation.id))) };
    else body = { contentType: plan.body.mediaType, raw: String(value) };
  }

  return { operation, method: operation.method.toUpperCase(), pathParams, query, headers, credentialLabel, body, kioskToken };
}

/** Builds the URL path and query string of a request. */
export function requestTarget(request: ConcreteRequest): string {
  const path = request.operation.path.replace(/\{([^}]+)\}/g, (_match, name: string) => encodeURIComponent(request.pathParams[name] ?? ''));
  if (request.query.length === 0) return path;
  return `${path}?${request.query.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&')}`;
}

interface ResolveContext extends MaterializeContext {
  operationId: string;
  kioskLocation: string | undefined;
  protectAnchors: boolean;
}

function resolveValue(value: unknown, context: ResolveContext): unknown {
  if (value instanceof Placeholder) return resolvePlaceholder(value, context);
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, context));
  if (!isObject(value)) return value;
  const resolved: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const concrete = resolveValue(item, context);
    if (concrete !== undefined) resolved[key] = concrete;
  }
  return resolved;
}

function resolvePlaceholder(placeholder: Placeholder, context: ResolveContext): unknown {
  const { world, now } = context;
  const pick = <T>(items: T[]): T | undefined => items[placeholder.pick % Math.max(items.length, 1)];

  switch (placeholder.kind) {
    case 'minutesFromNow':
      return new Date(now + placeholder.pick * 60_000).toISOString();
    case 'hookUrl':
      return `${context.hookUrl}/hooks/${placeholder.pick}`;
    case 'cursor':
      return pick(world.cursors.get(context.operationId) ?? []);
    case 'pairingCode':
      return pick(world.pairingCodes.filter((c) => !c.spent).map((c) => c.code)) ?? 'NOCODE23';
    case 'qrToken':
      return pick([...world.qrTokens.values(), ...(world.foreignQrToken ? [world.foreignQrToken] : [])]) ?? 'v1.none.none';
    case 'checkInCode':
      return pick([...world.preRegistrations.values()].map((p) => p.checkInCode)) ?? 'ABCDEFGH';
    case 'ndaVersion': {
      const current = world.ndaVersions.get(context.kioskLocation ?? '') ?? 0;
      // One in five signs a version that is not current, which the API rejects with 409.
      return placeholder.pick % 5 === 4 ? current + 1 : current;
    }
    default: {
      const kind = placeholder.kind;
      const unknown = `${idPrefix(kind)}fzunknown${placeholder.pick}`;
      if (placeholder.variant === 'unknown') return unknown;
      if (placeholder.variant === 'foreign') return pick(world.foreignIds[kind]) ?? unknown;
      const ids = world.ids(kind).filter((id) => !context.protectAnchors || !world.anchors.has(id));
      return pick(ids) ?? unknown;
    }
  }
}

/** Rules the schema cannot state, applied to otherwise valid bodies. */
function fixBody(operationId: string, body: unknown): unknown {
  if (operationId === 'signKioskVisitNda' && isObject(body)) {
    // Exactly one of typed_name and signature_png_base64.
    if ('typed_name' in body && 'signature_png_base64' in body) delete body.signature_png_base64;
    if (!('typed_name' in body) && !('signature_png_base64' in body)) body.typed_name = body.signer_name;
  }
  return body;
}
