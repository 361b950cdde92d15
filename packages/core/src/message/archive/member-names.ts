/**
 * A member's name and the other names extractors give it (first is the name): each also by its
 * last path segment, as analysis takes the base of the name itself, so `dir/run.bat` is matched
 * as `run.bat` whichever name it stands under.
 */
export function memberNames(names: readonly (string | undefined)[]): { name: string; otherNames?: string[] } {
  const [name = '', ...rest] = [...new Set(names.filter((n): n is string => n !== undefined && n !== ''))];
  const otherNames = [...new Set(rest.flatMap((n) => [n, n.split(/[\\/]/).pop() ?? n]))].filter((n) => n !== '' && n !== name);
  return otherNames.length > 0 ? { name, otherNames } : { name };
}
