/**
 * Returns the canonical IANA name of a time zone (`america/monterrey` becomes
 * `America/Monterrey`), or undefined when the runtime's zone database does not know it.
 */
export function canonicalTimeZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
