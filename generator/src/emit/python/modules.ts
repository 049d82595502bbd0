/** Prints the planned surface as Python modules: types.py, models.py and resources/. */
import { generatedHeader } from '../header';
import { ImportPlanner } from './imports';
import { docstring, docstringWithArgs, importBlock, INDENT, LINE_LENGTH, render, sortMembers, type Bracketed, type Expr } from './layout';
import { pyString, snakeCase } from './naming';
import type { Declaration, FieldDeclaration } from './schemas';
import { hasIdentifierKeys } from './schemas';
import type { PyGroup, PyMethod, PyParameter, SdkSurface } from './surface';

const TYPING_NAMES = ['Annotated', 'Any', 'Literal', 'Union', 'overload'];

/** Writes the first lines of a generated module: the header and a module docstring. */
function moduleStart(summary: string): string[] {
  return [...generatedHeader('#').trimEnd().split('\n'), '', ...docstring('', [summary]), ''];
}

function assemble(start: string[], imports: Map<string, Set<string>>, body: string[]): string {
  const lines = [...start, ...importBlock(imports), '', ...body];
  return `${lines.join('\n').replace(/\n{4,}/g, '\n\n\n').trimEnd()}\n`;
}

function allList(names: string[]): string[] {
  return render({ head: '__all__ = ', open: '[', items: sortMembers(names).map(pyString), close: ']' }, '');
}

// ---------------------------------------------------------------- types.py

export function emitTypesModule(surface: SdkSurface): string {
  const declarations = [...surface.types.declarations.values()].filter(
    (d) => d.kind === 'literal' || ((d.kind === 'class' || d.kind === 'union') && d.mode === 'param'),
  );
  const body: string[] = [];
  for (const declaration of declarations) {
    body.push('', '', ...declarationLines(declaration, surface.types.declarations));
  }
  const names = declarations.map((d) => d.name);
  const code = body.join('\n');
  const imports = new ImportPlanner()
    .provide('collections.abc', ['Sequence'])
    .provide('datetime', ['datetime'])
    .provide('typing', TYPING_NAMES)
    .provide('typing_extensions', ['NotRequired', 'TypedDict'])
    .plan(code, [['__future__', 'annotations']]);
  const start = moduleStart('Request parameter types and enums of the VisitorFlow API.');
  return assemble(start, imports, [...allList(names), ...body]);
}

// ---------------------------------------------------------------- models.py

export function emitModelsModule(surface: SdkSurface): string {
  const declarations = [...surface.types.declarations.values()].filter((d) => d.kind !== 'literal' && d.mode === 'model');
  const body: string[] = [];
  const names: string[] = [];
  for (const declaration of declarations) {
    body.push('', '', ...declarationLines(declaration, surface.types.declarations));
    names.push(declaration.name);
    if (declaration.kind === 'union') names.push(adapterName(declaration.name), `Unknown${declaration.name}`);
  }
  const code = body.join('\n');
  const literalNames = [...surface.types.declarations.values()].filter((d) => d.kind === 'literal').map((d) => d.name);
  const imports = new ImportPlanner()
    .provide('datetime', ['datetime'])
    .provide('typing', TYPING_NAMES)
    .provide('pydantic', ['Discriminator', 'Field', 'Tag', 'TypeAdapter'])
    .provide('._core', ['UNKNOWN_VARIANT', 'VisitorFlowModel', 'discriminate_by'])
    .provide('.types', literalNames)
    .plan(code);
  const start = moduleStart(
    'Response models of the VisitorFlow API. Every model keeps fields added to the API later, and `to_dict()` returns the JSON as received.',
  );
  return assemble(start, imports, [...allList(names), ...body]);
}

export function adapterName(unionName: string): string {
  return `${snakeCase(unionName).toUpperCase()}_ADAPTER`;
}

function declarationLines(declaration: Declaration, declarations: Map<string, Declaration>): string[] {
  switch (declaration.kind) {
    case 'literal': {
      const lines = render({ head: `${declaration.name} = Literal`, open: '[', items: declaration.values.map(pyString), close: ']' }, '');
      return [...lines, ...docstring('', declaration.description ? [declaration.description] : [])];
    }
    case 'class':
      return declaration.mode === 'model' ? modelClass(declaration) : typedDict(declaration);
    case 'union':
      return declaration.mode === 'model' ? modelUnion(declaration, declarations) : paramUnion(declaration);
  }
}

function modelClass(declaration: Extract<Declaration, { kind: 'class' }>): string[] {
  const bases = declaration.bases.length > 0 ? declaration.bases.join(', ') : 'VisitorFlowModel';
  const lines = [`class ${declaration.name}(${bases}):`];
  const doc = docstring(INDENT, declaration.description ? [declaration.description] : []);
  lines.push(...doc);
  if (doc.length > 0 && declaration.fields.length > 0) lines.push('');
  for (const field of declaration.fields) lines.push(...modelField(field));
  if (doc.length === 0 && declaration.fields.length === 0) lines.push(`${INDENT}pass`);
  return lines;
}

function modelField(field: FieldDeclaration): string[] {
  const type = field.required ? field.type : optional(field.type);
  const aliased = field.pyName !== field.wireName;
  let line: string;
  if (aliased) {
    const args = field.required ? [`alias=${pyString(field.wireName)}`] : ['default=None', `alias=${pyString(field.wireName)}`];
    line = render({ head: `${field.pyName}: ${type} = Field`, open: '(', items: args, close: ')' }, INDENT).join('\n');
  } else {
    line = `${INDENT}${field.pyName}: ${type}${field.required ? '' : ' = None'}`;
  }
  return [...line.split('\n'), ...docstring(INDENT, field.description ? [field.description] : [])];
}

function optional(type: string): string {
  return type.split(' | ').includes('None') || type === 'Any' ? type : `${type} | None`;
}

function typedDict(declaration: Extract<Declaration, { kind: 'class' }>): string[] {
  const fieldType = (field: FieldDeclaration) => (field.required ? field.type : `NotRequired[${field.type}]`);
  if (!hasIdentifierKeys(declaration.fields)) {
    // Keys such as "es-MX" are not identifiers, so this TypedDict needs the functional syntax.
    const entries: Expr[] = declaration.fields.map((field) => `${pyString(field.wireName)}: ${fieldType(field)}`);
    const mapping: Bracketed = { head: '', open: '{', items: entries, close: '}' };
    const lines = render({ head: `${declaration.name} = TypedDict`, open: '(', items: [pyString(declaration.name), mapping], close: ')' }, '');
    return [...lines, ...docstring('', declaration.description ? [declaration.description] : [])];
  }
  const bases = declaration.bases.length > 0 ? declaration.bases.join(', ') : 'TypedDict';
  const lines = [`class ${declaration.name}(${bases}):`];
  const doc = docstring(INDENT, declaration.description ? [declaration.description] : []);
  lines.push(...doc);
  if (doc.length > 0 && declaration.fields.length > 0) lines.push('');
  for (const field of declaration.fields) {
    lines.push(`${INDENT}${field.wireName}: ${fieldType(field)}`);
    lines.push(...docstring(INDENT, field.description ? [field.description] : []));
  }
  if (doc.length === 0 && declaration.fields.length === 0) lines.push(`${INDENT}pass`);
  return lines;
}

/**
 * Returns the fields every member of a union declares, required and with the same type, so that the
 * fallback model has them too and code can read them without narrowing the union first.
 */
function sharedFields(members: string[], declarations: Map<string, Declaration>, except: string): FieldDeclaration[] {
  const classes = members.map((member) => declarations.get(member));
  if (!classes.every((d): d is Extract<Declaration, { kind: 'class' }> => d?.kind === 'class' && d.bases.length === 0)) return [];
  const [first, ...others] = classes;
  return (first?.fields ?? []).filter(
    (field) =>
      field.required &&
      field.wireName !== except &&
      others.every((other) => other.fields.some((candidate) => candidate.required && candidate.wireName === field.wireName && candidate.type === field.type)),
  );
}

function modelUnion(declaration: Extract<Declaration, { kind: 'union' }>, declarations: Map<string, Declaration>): string[] {
  const lines: string[] = [];
  const adapter = `${adapterName(declaration.name)}: TypeAdapter[${declaration.name}] = TypeAdapter(${declaration.name})`;
  if (!declaration.discriminator) {
    lines.push(...unionAlias(declaration.name, declaration.members));
    lines.push(...docstring('', declaration.description ? [declaration.description] : []), '', adapter);
    return lines;
  }

  const { property, tags } = declaration.discriminator;
  const unknown = `Unknown${declaration.name}`;
  lines.push(`class ${unknown}(VisitorFlowModel):`);
  lines.push(
    ...docstring(INDENT, [
      `A \`${declaration.name}\` whose \`${property}\` this version of the SDK does not know yet.`,
      'It has the fields every known kind has; the others are in `to_dict()`. A newer SDK may parse it as a model of its own.',
    ]),
  );
  lines.push('', `${INDENT}${property}: str`);
  for (const field of sharedFields(declaration.members, declarations, property)) lines.push(...modelField({ ...field, description: undefined }));
  lines.push('', '');
  const members: Expr[] = declaration.members.map((member, index) => `Annotated[${member}, Tag(${pyString(tags[index]!)})]`);
  members.push(`Annotated[${unknown}, Tag(UNKNOWN_VARIANT)]`);
  const union: Expr = { operator: '|', operands: members.map((member) => String(member)) };
  const discriminate: Bracketed = {
    head: 'Discriminator',
    open: '(',
    items: [{ head: 'discriminate_by', open: '(', items: [pyString(property), ...tags.map(pyString)], close: ')' }],
    close: ')',
  };
  lines.push(...render({ head: `${declaration.name} = Annotated`, open: '[', items: [union, discriminate], close: ']' }, ''));
  lines.push(...docstring('', declaration.description ? [declaration.description] : []));
  lines.push('', ...render(adapter, ''));
  return lines;
}

function paramUnion(declaration: Extract<Declaration, { kind: 'union' }>): string[] {
  return [...unionAlias(declaration.name, declaration.members), ...docstring('', declaration.description ? [declaration.description] : [])];
}

/** `Name = A | B`, in parentheses with one member per line when it is too long, as black writes it. */
function unionAlias(name: string, members: string[]): string[] {
  const oneLine = `${name} = ${members.join(' | ')}`;
  if (oneLine.length <= LINE_LENGTH) return [oneLine];
  return [`${name} = (`, ...render({ operator: '|', operands: members }, INDENT), ')'];
}

// ---------------------------------------------------------------- resources

export function emitResourceModule(surface: SdkSurface, group: PyGroup): string {
  const body: string[] = [];
  const adapters = new Map<string, string>();
  for (const method of group.methods) {
    if (method.result.localAdapter) adapters.set(method.result.localAdapter.name, method.result.localAdapter.type);
  }
  for (const [name, type] of adapters) body.push('', ...render(`${name}: TypeAdapter[${type}] = TypeAdapter(${type})`, ''));

  for (const asynchronous of [false, true]) {
    const className = `${asynchronous ? 'Async' : ''}${group.className}`;
    body.push('', '', `class ${className}(${asynchronous ? 'AsyncAPIResource' : 'SyncAPIResource'}):`);
    body.push(...docstring(INDENT, [group.description ?? `The ${group.className} operations.`]));
    for (const method of group.methods) body.push('', ...methodLines(method, asynchronous));
  }

  const code = body.join('\n');
  const declared = surface.types.declarations;
  const modelNames = [...declared.values()].filter((d) => d.kind !== 'literal' && d.mode === 'model').flatMap((d) => (d.kind === 'union' ? [d.name, adapterName(d.name)] : [d.name]));
  const typeNames = [...declared.values()].filter((d) => d.kind === 'literal' || d.mode === 'param').map((d) => d.name);
  const imports = new ImportPlanner()
    .provide('collections.abc', ['Sequence'])
    .provide('datetime', ['datetime'])
    .provide('typing', TYPING_NAMES)
    .provide('pydantic', ['TypeAdapter'])
    .provide('.._core', ['NOT_GIVEN', 'AsyncAPIResource', 'AsyncPaginator', 'NotGiven', 'SyncAPIResource', 'SyncPage', 'encode_path'])
    .provide('..models', modelNames)
    .provide('..types', typeNames)
    .plan(code, [['__future__', 'annotations']]);
  const summary = group.kind === 'client' ? `Operations that need the \`${group.attribute}\` credential.` : `The ${group.attribute} resource: ${lowerFirst(group.description ?? group.className)}`;
  const start = moduleStart(summary);
  return assemble(start, imports, [...allList([group.className, `Async${group.className}`]), ...body]);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function methodLines(method: PyMethod, asynchronous: boolean): string[] {
  const lines: string[] = [];
  const paginated = method.result.pageItem !== undefined;
  const def = asynchronous && !paginated ? 'async def' : 'def';
  const returns = returnType(method, asynchronous);

  if (method.variants.length > 1) {
    for (const variant of method.variants) {
      lines.push(`${INDENT}@overload`);
      lines.push(...signature(def, method.name, variant.parameters, `${returns}: ...`));
      lines.push('');
    }
  }
  lines.push(...signature(def, method.name, method.implementation, `${returns}:`));
  lines.push(...methodDocstring(method));
  lines.push(...callLines(method, asynchronous));
  return lines;
}

function returnType(method: PyMethod, asynchronous: boolean): string {
  if (method.result.pageItem !== undefined) return `${asynchronous ? 'AsyncPaginator' : 'SyncPage'}[${method.result.pageItem}]`;
  return method.result.type;
}

function signature(def: string, name: string, parameters: PyParameter[], tail: string): string[] {
  const items: Expr[] = ['self'];
  const positional = parameters.filter((p) => p.in === 'path');
  const keywords = parameters.filter((p) => p.in !== 'path');
  for (const parameter of positional) items.push(`${parameter.pyName}: ${parameter.type}`);
  if (keywords.length > 0) items.push('*');
  for (const parameter of keywords) items.push(parameterText(parameter));
  return render({ head: `${def} ${name}`, open: '(', items, close: `) -> ${tail}` }, INDENT);
}

function parameterText(parameter: PyParameter): string {
  if (parameter.required) return `${parameter.pyName}: ${parameter.type}`;
  // Left-out body fields are NOT_GIVEN, because None would send null; other parameters use None.
  if (parameter.in === 'body') return `${parameter.pyName}: ${withNotGiven(parameter.type)} = NOT_GIVEN`;
  const type = parameter.type.split(' | ').includes('None') ? parameter.type : `${parameter.type} | None`;
  return `${parameter.pyName}: ${type} = None`;
}

/** Adds `NotGiven` to a type, before `None` as ruff's RUF036 wants `None` last. */
function withNotGiven(type: string): string {
  const members = type.split(' | ');
  const nullable = members.includes('None');
  return [...members.filter((member) => member !== 'None'), 'NotGiven', ...(nullable ? ['None'] : [])].join(' | ');
}

function methodDocstring(method: PyMethod): string[] {
  const operation = method.operation;
  const summary = operation.summary ? sentence(operation.summary) : `${operation.method.toUpperCase()} ${operation.path}.`;
  const blocks = [summary, ...(operation.description ? [operation.description] : [])];
  const args: [string, string][] = [];
  for (const parameter of method.implementation) {
    if (!parameter.description) continue;
    // Header parameters such as Idempotency-Key carry long contract text; the first sentence is enough here.
    const text = parameter.in === 'header' ? firstSentence(parameter.description) : parameter.description;
    args.push([parameter.pyName, text]);
  }
  return docstringWithArgs(INDENT + INDENT, blocks, args);
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function firstSentence(text: string): string {
  const flatText = text.replace(/\s+/g, ' ').trim();
  const end = flatText.search(/[.!?](\s|$)/);
  return end === -1 ? flatText : flatText.slice(0, end + 1);
}

function callLines(method: PyMethod, asynchronous: boolean): string[] {
  const operation = method.operation;
  const indent = INDENT + INDENT;
  const path = pathExpression(operation.path, method.implementation);
  const parameters = method.implementation;
  const query = parameters.filter((p) => p.in === 'query');
  const headers = parameters.filter((p) => p.in === 'header');
  const body = parameters.filter((p) => p.in === 'body');
  const mapping = (entries: PyParameter[]): Bracketed => ({ head: '', open: '{', items: entries.map((p) => `${pyString(p.wireName)}: ${p.pyName}`), close: '}' });

  if (method.result.pageItem !== undefined) {
    const args: Expr[] = [path, `item=${method.result.castTo}`, { ...mapping(query), head: 'query=' }];
    return render({ head: 'return self._transport.get_page', open: '(', items: args, close: ')' }, indent);
  }

  const args: Expr[] = [pyString(operation.method.toUpperCase()), path, `cast_to=${method.result.castTo}`];
  if (query.length > 0) args.push({ ...mapping(query), head: 'query=' });
  const wholeBody = body.length === 1 && body[0]!.pyName === 'body' && body[0]!.wireName === 'body';
  if (wholeBody) args.push(`body=body`);
  else if (body.length > 0) args.push({ ...mapping(body), head: 'body=' });
  if (parameters.some((p) => p.in === 'content')) {
    args.push('content=content');
    const contentType = parameters.some((p) => p.in === 'content_type') ? 'content_type' : pyString(method.contentTypes[0] ?? 'application/octet-stream');
    args.push(`content_type=${contentType}`);
  }
  if (headers.length > 0) args.push({ ...mapping(headers), head: 'headers=' });
  const head = `return ${asynchronous ? 'await ' : ''}self._transport.request`;
  return render({ head, open: '(', items: args, close: ')' }, indent);
}

/** Returns the path as a string literal, or as an f-string that percent-encodes each path parameter. */
function pathExpression(path: string, parameters: PyParameter[]): string {
  if (!path.includes('{')) return pyString(path);
  const byWire = new Map(parameters.filter((p) => p.in === 'path').map((p) => [p.wireName, p.pyName]));
  return `f${pyString(path).replace(/\{([^}]+)\}/g, (_match, name: string) => `{encode_path(${byWire.get(name) ?? name})}`)}`;
}

// ---------------------------------------------------------------- resources/__init__.py

export function emitResourcesIndex(surface: SdkSurface): string {
  const resources = surface.groups.filter((group) => group.kind === 'resource');
  const body: string[] = [];
  for (const asynchronous of [false, true]) {
    const prefix = asynchronous ? 'Async' : '';
    body.push('', '', `class ${prefix}Resources:`);
    body.push(...docstring(INDENT, [`Every resource of the API as an attribute; \`${prefix}VisitorFlow\` inherits them.`]), '');
    body.push(`${INDENT}def __init__(self, transport: ${asynchronous ? 'AsyncTransport' : 'SyncTransport'}) -> None:`);
    for (const group of resources) {
      body.push(`${INDENT}${INDENT}self.${group.attribute} = ${prefix}${group.className}(transport)`);
      body.push(...docstring(INDENT + INDENT, group.description ? [group.description] : []));
    }
  }
  const imports = new Map<string, Set<string>>([
    ['__future__', new Set(['annotations'])],
    ['.._core.transport', new Set(['AsyncTransport', 'SyncTransport'])],
  ]);
  const exported: string[] = ['AsyncResources', 'Resources'];
  for (const group of surface.groups) {
    imports.set(`.${group.module}`, new Set([group.className, `Async${group.className}`]));
    exported.push(group.className, `Async${group.className}`);
  }
  const start = moduleStart('The resources of the VisitorFlow API, one module per tag of openapi.yaml.');
  return assemble(start, imports, [...allList(exported), ...body]);
}
