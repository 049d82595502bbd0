interface ProcessLike {
  env?: Record<string, string | undefined>;
}

/**
 * Reads an environment variable where there is one (Node, Deno, Bun), and returns undefined in
 * browsers, where `process` does not exist. An empty value counts as unset.
 */
export function readEnv(name: string): string | undefined {
  const process = (globalThis as { process?: ProcessLike }).process;
  const value = process?.env?.[name]?.trim();
  return value === '' ? undefined : value;
}
