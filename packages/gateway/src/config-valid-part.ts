import type { ErrorObject, ValidateFunction } from 'ajv';

// A JSON pointer ("/listeners/0/listen") as keys, ~1 and ~0 decoded.
const pointerKeys = (pointer: string): string[] => pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));

// Remove the value at `keys`; an array element leaves a hole, so the others keep their index
// (what file:line:col is found by) and forEach skips it. Whether anything was there to remove.
function remove(root: unknown, keys: string[]): boolean {
  let node = root;
  for (const key of keys.slice(0, -1)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  const last = keys[keys.length - 1]!;
  if (node === null || typeof node !== 'object' || !Object.hasOwn(node, last)) return false;
  delete (node as Record<string, unknown>)[last];
  return true;
}

// What one schema error makes unusable: the unknown key itself, or the value that is wrong
// (a missing required key or an anyOf no branch matches: the object that lacks it).
const unusable = (e: ErrorObject): string[] => [
  ...pointerKeys(e.instancePath),
  ...(e.keyword === 'additionalProperties' ? [(e.params as { additionalProperty: string }).additionalProperty] : []),
];

/**
 * gateway.yaml's values without the ones the schema refused, so the checks it cannot make
 * (ports, host names, two defaults for unrouted mail) still run on the rest and every mistake
 * is told in one run: a typo in one key no longer hides a bad port in another. A value refused
 * is removed, then so is what holds it when that makes it incomplete (a listener whose `listen`
 * is a number), until what is left passes. Undefined when the file is not a map at all.
 */
export function schemaValidPart(raw: unknown, validate: ValidateFunction): Record<string, unknown> | undefined {
  const part = structuredClone(raw);
  while (!validate(part)) {
    const errors = validate.errors ?? [];
    if (errors.some((e) => e.instancePath === '' && e.keyword !== 'additionalProperties')) return undefined;
    // Errors about a hole (an element removed before) are not new: when nothing else is left to
    // remove, what remains is the valid part.
    let removed = false;
    for (const e of errors) removed = remove(part, unusable(e)) || removed;
    if (!removed) break;
  }
  return part as Record<string, unknown>;
}
