import type { ApiModel, OperationModel } from '../model';
import { SpecError, type SpecProblem } from '../problems';
import { methodName, resourceName } from './naming';

/** The security scheme of kiosk device tokens; its operations belong to `KioskClient`. */
const KIOSK_SCHEME = 'kioskToken';

/** Resource names the hand-written `VisitorFlow` class already uses. */
const RESERVED_RESOURCES = new Set(['webhooks']);

const JSON_MEDIA_TYPE = 'application/json';

/** The shape of a method's result. */
export type ResultKind = 'json' | 'list' | 'binary' | 'empty';

/** The kind of a method's request body. */
export type BodyKind = 'none' | 'json' | 'binary';

export interface SdkMethod {
  operation: OperationModel;
  /** Property of the client that contains the method, such as `visits`. Empty on `KioskClient`. */
  resource: string;
  name: string;
  pathParameters: string[];
  hasQuery: boolean;
  queryRequired: boolean;
  body: BodyKind;
  /** Media types a binary body may be sent as. */
  binaryTypes: string[];
  result: ResultKind;
}

export interface SdkPlan {
  /** Methods of `VisitorFlow`, grouped by resource in spec order. */
  resources: Map<string, SdkMethod[]>;
  /** Methods of `KioskClient`, directly on the client. */
  kiosk: SdkMethod[];
}

/**
 * Decides which client, resource and method name every operation gets. Operations secured by
 * a kiosk device token go to `KioskClient`, those with an API key to `VisitorFlow`. A public
 * operation follows the other operations of its first tag, so a tag of only public operations
 * (health checks, the contract) gets no SDK methods. Throws SpecError on name clashes.
 */
export function planSdk(model: ApiModel): SdkPlan {
  const problems: SpecProblem[] = [];
  const kioskTags = tagsWhere(model, (op) => op.securitySchemes.includes(KIOSK_SCHEME));
  const apiKeyTags = tagsWhere(model, (op) => op.securitySchemes.some((s) => s !== KIOSK_SCHEME));
  const plan: SdkPlan = { resources: new Map(), kiosk: [] };
  const seen = new Map<string, OperationModel>();

  for (const operation of model.operations) {
    const tag = firstTag(operation);
    const forKiosk = operation.securitySchemes.length === 0 ? kioskTags.has(tag) : operation.securitySchemes.includes(KIOSK_SCHEME);
    if (operation.securitySchemes.length === 0 && !forKiosk && !apiKeyTags.has(tag)) continue;

    const method = describeMethod(operation, forKiosk ? '' : resourceName(tag), tag);
    const member = forKiosk ? `KioskClient.${method.name}` : `${method.resource}.${method.name}`;
    const earlier = seen.get(member);
    if (earlier) {
      problems.push({
        path: operation.pointer,
        message: `SDK method ${member} is also derived from ${earlier.id} (${earlier.pointer}); set x-sdk-method on one of them.`,
      });
      continue;
    }
    if (!forKiosk && RESERVED_RESOURCES.has(method.resource)) {
      problems.push({ path: `${operation.pointer}/tags`, message: `Tag "${tag}" would become client.${method.resource}, which the hand-written SDK already defines.` });
      continue;
    }
    seen.set(member, operation);

    if (forKiosk) plan.kiosk.push(method);
    else plan.resources.set(method.resource, [...(plan.resources.get(method.resource) ?? []), method]);
  }

  if (problems.length > 0) throw new SpecError(problems);
  return plan;
}

function tagsWhere(model: ApiModel, predicate: (operation: OperationModel) => boolean): Set<string> {
  return new Set(model.operations.filter(predicate).map(firstTag));
}

/** Returns the tag that names an operation's resource; untagged operations go to `misc`, as their handlers do. */
function firstTag(operation: OperationModel): string {
  return operation.tags[0] ?? 'Misc';
}

function describeMethod(operation: OperationModel, resource: string, tag: string): SdkMethod {
  const query = operation.parameters.filter((p) => p.in === 'query');
  const requestTypes = operation.requestBody?.contentTypes ?? [];
  return {
    operation,
    resource,
    name: operation.sdkMethod ?? methodName(operation.id, tag),
    pathParameters: [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? ''),
    hasQuery: query.length > 0,
    queryRequired: query.some((p) => p.required),
    body: requestTypes.length === 0 ? 'none' : requestTypes.includes(JSON_MEDIA_TYPE) ? 'json' : 'binary',
    binaryTypes: requestTypes.filter((type) => type !== JSON_MEDIA_TYPE),
    result: resultKind(operation),
  };
}

/** An operation with a `cursor` query parameter returns a page of `data` with `next_cursor`. */
function resultKind(operation: OperationModel): ResultKind {
  const success = operation.responses.find((r) => r.status.startsWith('2'));
  if (!success || success.contentTypes.length === 0) return 'empty';
  if (!success.contentTypes.includes(JSON_MEDIA_TYPE)) return 'binary';
  const paginated = operation.parameters.some((p) => p.in === 'query' && p.name === 'cursor');
  return paginated ? 'list' : 'json';
}
