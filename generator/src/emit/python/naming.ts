/** How names in the contract become Python names. */

const PYTHON_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue',
  'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in',
  'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

/** Splits `createKioskPairingCode`, `Pre-registrations` or `Webhook Endpoints` into words. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '');
}

export function snakeCase(text: string): string {
  return words(text).map((word) => word.toLowerCase()).join('_');
}

export function pascalCase(text: string): string {
  return words(text)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

export function upperSnakeCase(text: string): string {
  return snakeCase(text).toUpperCase();
}

/** Turns a JSON property name into a usable Python identifier: `es-MX` → `es_mx`, `from` → `from_`. */
export function pythonIdentifier(name: string): string {
  let identifier = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : snakeCase(name);
  if (identifier === '' || /^[0-9]/.test(identifier)) identifier = `field_${identifier}`;
  return PYTHON_KEYWORDS.has(identifier) ? `${identifier}_` : identifier;
}

export function isPythonIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !PYTHON_KEYWORDS.has(name);
}

/** A double-quoted Python string literal. */
export function pyString(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}

/** The singular of an English plural noun, good enough for resource names: `Registrations` → `Registration`. */
export function singular(word: string): string {
  if (/ies$/i.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|x|ch|sh)es$/i.test(word)) return word.slice(0, -2);
  if (/[^s]s$/i.test(word)) return word.slice(0, -1);
  return word;
}

/**
 * Derives an SDK method name from an operationId by removing the resource noun, in plural or
 * singular: `listVisits` under Visits → `list`, `createKioskPairingCode` under Kiosks →
 * `create_pairing_code`. An operationId without the noun keeps all its words.
 */
export function methodNameFor(operationId: string, tag: string): string {
  const opWords = words(operationId);
  const plural = words(tag).map((word) => word.toLowerCase());
  const singularNoun = [...plural.slice(0, -1), singular(plural.at(-1) ?? '')];
  for (const noun of [plural, singularNoun]) {
    const start = findSequence(opWords.map((word) => word.toLowerCase()), noun, 1);
    if (start >= 0) {
      const remaining = [...opWords.slice(0, start), ...opWords.slice(start + noun.length)];
      return pythonIdentifier(remaining.map((word) => word.toLowerCase()).join('_'));
    }
  }
  return pythonIdentifier(snakeCase(operationId));
}

function findSequence(haystack: string[], needle: string[], from: number): number {
  if (needle.length === 0) return -1;
  for (let start = from; start + needle.length <= haystack.length; start++) {
    if (needle.every((word, offset) => haystack[start + offset] === word)) return start;
  }
  return -1;
}
