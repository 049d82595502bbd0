/** A problem in `openapi.yaml`, located by JSON pointer so it can be found and fixed. */
export interface SpecProblem {
  path: string;
  message: string;
}

/** Raised when the spec cannot be turned into a model; carries every problem found, not only the first. */
export class SpecError extends Error {
  readonly problems: SpecProblem[];

  constructor(problems: SpecProblem[]) {
    super(`openapi.yaml has ${problems.length} problem(s):\n` + problems.map((p) => `  ${p.path}: ${p.message}`).join('\n'));
    this.name = 'SpecError';
    this.problems = problems;
  }
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
