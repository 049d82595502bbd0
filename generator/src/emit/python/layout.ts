/**
 * Lays Python out the way black and `ruff format` do, so emitted files pass `ruff format
 * --check` unchanged: a bracketed expression stays on one line when it fits in 88 columns,
 * and otherwise puts one item per line with a trailing comma (which black keeps exploded).
 */

export const LINE_LENGTH = 88;
export const INDENT = '    ';

/** An expression that may be split over lines at its brackets or operators. */
export type Expr = string | Bracketed | Chain;

/** Operands joined by a binary operator, such as the members of `A | B | C`. */
export interface Chain {
  operator: string;
  operands: string[];
}

export interface Bracketed {
  head: string;
  open: string;
  items: Expr[];
  close: string;
}

export function flat(expr: Expr): string {
  if (typeof expr === 'string') return expr;
  if ('operator' in expr) return expr.operands.join(` ${expr.operator} `);
  return `${expr.head}${expr.open}${expr.items.map(flat).join(', ')}${expr.close}`;
}

/** Renders `prefix + expr + suffix` at `indent`, splitting at brackets only when too long. */
export function render(expr: Expr, indent: string, prefix = '', suffix = ''): string[] {
  const oneLine = `${indent}${prefix}${flat(expr)}${suffix}`;
  if (typeof expr === 'string' || oneLine.length <= LINE_LENGTH) return [oneLine];
  if ('operator' in expr) {
    // Black breaks before each operator and keeps the operands at one indentation.
    const operands = expr.operands.map((operand, index) => `${indent}${index === 0 ? prefix : `${expr.operator} `}${operand}`);
    operands[operands.length - 1] += suffix;
    return operands;
  }
  if (expr.items.length === 0) return [oneLine];
  const lines = [`${indent}${prefix}${expr.head}${expr.open}`];
  for (const item of expr.items) lines.push(...render(item, indent + INDENT, '', ','));
  lines.push(`${indent}${expr.close}${suffix}`);
  return lines;
}

/** Escapes text for a triple-quoted docstring. */
function escapeDoc(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('"""', '\\"\\"\\"');
}

/**
 * Turns a Markdown description into docstring paragraphs: joins the hard-wrapped lines of each
 * paragraph and keeps `- ` list items apart.
 */
export function paragraphs(text: string | undefined): string[] {
  if (text === undefined) return [];
  const result: string[] = [];
  for (const block of text.trim().split(/\n\s*\n/)) {
    const items: string[] = [];
    for (const line of block.split('\n')) {
      const trimmed = line.trim();
      if (trimmed === '') continue;
      if (trimmed.startsWith('- ') || items.length === 0) items.push(trimmed);
      else items[items.length - 1] += ` ${trimmed}`;
    }
    if (items.length > 0) result.push(items.join('\n'));
  }
  return result;
}

/** Wraps one paragraph (or list item) to `width` columns; list items get a hanging indent. */
function wrap(text: string, width: number, firstWidth = width): string[] {
  const lines: string[] = [];
  for (const item of text.split('\n')) {
    const hanging = item.startsWith('- ') ? '  ' : '';
    let current = '';
    for (const word of item.split(/\s+/)) {
      const limit = lines.length === 0 ? firstWidth : width;
      const candidate = current === '' ? word : `${current} ${word}`;
      if (candidate.length > limit && current.trim() !== '') {
        lines.push(current);
        current = `${hanging}${word}`;
      } else {
        current = candidate;
      }
    }
    if (current !== '') lines.push(current);
  }
  return lines;
}

/**
 * Writes a docstring at `indent`: on one line when it fits, otherwise a summary line, the
 * other paragraphs and the closing quotes on a line of their own.
 */
export function docstring(indent: string, blocks: string[]): string[] {
  const texts = blocks.flatMap((block) => paragraphs(block)).map(escapeDoc);
  if (texts.length === 0) return [];
  const single = `${indent}"""${texts[0]}"""`;
  const oneParagraph = texts.length === 1 && !texts[0]!.includes('\n');
  if (oneParagraph && single.length <= LINE_LENGTH && !texts[0]!.endsWith('"')) return [single];
  const width = LINE_LENGTH - indent.length;
  const lines: string[] = [];
  texts.forEach((text, index) => {
    if (index > 0) lines.push('');
    let wrapped = index === 0 ? wrap(text, width, width - 3) : wrap(text, width);
    // ruff format joins a lone content line with its closing quotes, so a summary too long
    // for one line with them is wrapped into two lines instead.
    if (oneParagraph && wrapped.length === 1) wrapped = wrap(text, width, Math.ceil(text.length * 0.6));
    wrapped.forEach((line, lineIndex) => {
      const quotes = index === 0 && lineIndex === 0 ? '"""' : '';
      lines.push(`${indent}${quotes}${line}`);
    });
  });
  lines.push(`${indent}"""`);
  return lines.map((line) => line.trimEnd());
}

/** Writes a docstring that ends in an indented `Args:` section, Google style. */
export function docstringWithArgs(indent: string, blocks: string[], args: [string, string][]): string[] {
  if (args.length === 0) return docstring(indent, blocks);
  const body = docstring(indent, blocks);
  const width = LINE_LENGTH - indent.length - 8;
  const argLines: string[] = [`${indent}Args:`];
  for (const [name, description] of args) {
    const wrapped = wrap(`${name}: ${escapeDoc(description.replace(/\s+/g, ' ').trim())}`, width, width + 4);
    wrapped.forEach((line, index) => argLines.push(`${indent}${INDENT}${index === 0 ? '' : INDENT}${line}`));
  }
  if (body.length === 1) {
    // A one-line docstring: reopen it so the Args section can follow.
    const summary = body[0]!.trimStart().slice(3, -3);
    return [`${indent}"""${summary}`, '', ...argLines, `${indent}"""`];
  }
  return [...body.slice(0, -1), '', ...argLines, body.at(-1)!];
}

const STDLIB = new Set(['__future__', 'builtins', 'collections.abc', 'datetime', 'typing']);

/**
 * Writes the import block sorted as ruff's isort rules expect: standard library, third party,
 * then relative imports (furthest first); constants, then classes, then other names.
 */
export function importBlock(imports: Map<string, Set<string>>): string[] {
  const section = (module: string): number => {
    if (module === '__future__') return 0;
    if (module.startsWith('.')) return 3;
    return STDLIB.has(module) ? 1 : 2;
  };
  const moduleKey = (module: string): string => {
    const dots = module.match(/^\.*/)?.[0].length ?? 0;
    // Furthest relative imports first: more dots sort earlier.
    return `${String(9 - dots)}${module.slice(dots).toLowerCase()}`;
  };
  const modules = [...imports.keys()].filter((module) => imports.get(module)!.size > 0);
  modules.sort((a, b) => section(a) - section(b) || compare(moduleKey(a), moduleKey(b)));

  const lines: string[] = [];
  let previousSection = -1;
  for (const module of modules) {
    if (previousSection !== -1 && section(module) !== previousSection) lines.push('');
    previousSection = section(module);
    const names = [...imports.get(module)!].sort(compareMembers);
    const oneLine = `from ${module} import ${names.join(', ')}`;
    if (oneLine.length <= LINE_LENGTH) lines.push(oneLine);
    else lines.push(`from ${module} import (`, ...names.map((name) => `${INDENT}${name},`), ')');
  }
  return lines;
}

/**
 * Sorts `__all__` as ruff's RUF022 does: constants, then classes, then other names, each
 * group case-sensitively (imports, by contrast, ignore case).
 */
export function sortMembers(names: string[]): string[] {
  return [...names].sort((a, b) => memberType(a) - memberType(b) || compare(a, b));
}

function memberType(name: string): number {
  if (name.length > 1 && name === name.toUpperCase() && /[A-Z]/.test(name)) return 0;
  return /^[A-Z]/.test(name) ? 1 : 2;
}

function compareMembers(a: string, b: string): number {
  return memberType(a) - memberType(b) || compare(a.toLowerCase(), b.toLowerCase()) || compare(a, b);
}

function compare(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
