/** A compiled pattern: one value in, true or false out; `source` is shown in traces. */
export interface Matcher {
  readonly source: string;
  test(value: string): boolean;
}

/** Holds when any of the matchers does; `source` lists them as written. */
export function anyOf(matchers: readonly Matcher[], source: string): Matcher {
  if (matchers.length === 1 && matchers[0]!.source === source) return matchers[0]!;
  return { source, test: (v) => matchers.some((m) => m.test(v)) };
}

/** Holds when the matcher does not. */
export function noneOf(matcher: Matcher, source: string): Matcher {
  return { source, test: (v) => !matcher.test(v) };
}
