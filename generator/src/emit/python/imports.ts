/** Works out which names a generated Python module must import, from the code it contains. */

/** Names each module can provide, checked against identifiers used outside strings. */
export class ImportPlanner {
  readonly #providers: [module: string, names: Set<string>][] = [];

  provide(module: string, names: Iterable<string>): this {
    this.#providers.push([module, new Set(names)]);
    return this;
  }

  /** Returns the imports needed by `code`, keyed by module; `__future__` annotations always. */
  plan(code: string, always: [string, string][] = []): Map<string, Set<string>> {
    const used = identifiersOutsideStrings(code);
    const imports = new Map<string, Set<string>>();
    for (const [module, name] of always) addTo(imports, module, name);
    for (const [module, names] of this.#providers) {
      for (const name of names) if (used.has(name)) addTo(imports, module, name);
    }
    return imports;
  }
}

function addTo(imports: Map<string, Set<string>>, module: string, name: string): void {
  let names = imports.get(module);
  if (!names) {
    names = new Set();
    imports.set(module, names);
  }
  names.add(name);
}

function identifiersOutsideStrings(code: string): Set<string> {
  const withoutStrings = code
    .replace(/"""[\s\S]*?"""/g, '')
    .replace(/^\s*#.*$/gm, '')
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '""');
  // f-string replacement fields still name identifiers: keep what is inside braces.
  const fields = [...code.matchAll(/f"[^"\n]*"/g)].flatMap((match) => [...match[0].matchAll(/\{([^}]*)\}/g)].map((inner) => inner[1] ?? ''));
  return new Set([...`${withoutStrings}\n${fields.join('\n')}`.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((match) => match[0]));
}
