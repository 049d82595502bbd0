/**
 * Builds source text line by line with managed indentation, so emitters describe structure
 * (blocks, statements) instead of concatenating strings with hand-counted spaces.
 */
export class CodeWriter {
  readonly #lines: string[] = [];
  readonly #indentUnit: string;
  #depth = 0;

  constructor(indentUnit = '  ') {
    this.#indentUnit = indentUnit;
  }

  line(text = ''): this {
    this.#lines.push(text === '' ? '' : this.#indentUnit.repeat(this.#depth) + text);
    return this;
  }

  lines(texts: Iterable<string>): this {
    for (const text of texts) this.line(text);
    return this;
  }

  /** Writes `open`, the body one level deeper, then `close`. */
  block(open: string, body: () => void, close = '}'): this {
    this.line(open);
    this.#depth++;
    body();
    this.#depth--;
    return this.line(close);
  }

  /** Writes a JSDoc comment; skipped when every line is empty. */
  doc(...texts: (string | undefined)[]): this {
    const content = texts
      .filter((t): t is string => t !== undefined && t.trim() !== '')
      .flatMap((t) => t.trim().split('\n'))
      .map((t) => t.replaceAll('*/', '*\\/').trimEnd());
    if (content.length === 0) return this;
    if (content.length === 1) return this.line(`/** ${content[0]} */`);
    this.line('/**');
    for (const text of content) this.line(text === '' ? ' *' : ` * ${text}`);
    return this.line(' */');
  }

  toString(): string {
    return this.#lines.join('\n') + '\n';
  }
}
