import { describeBounds, type Bounds } from '../../match/bounds';
import type { CompileScope, PolicyPath } from '../compile-scope';
import { parseSize } from '../units';

/** Compiles `{ gt, gte, lt, lte, eq }`; with `sizes`, values may carry units (1000KB, 5MB). */
export function compileBounds(value: unknown, scope: CompileScope, path: PolicyPath, sizes: boolean): Bounds {
  const out: Bounds = {};
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    const n = sizes ? parseSize(raw as number | string) : typeof raw === 'number' ? raw : undefined;
    if (n === undefined) {
      scope.error([...path, key], `\`${key}: ${String(raw)}\` is not ${sizes ? 'a size; write bytes or 10KB / 5MB / 1GB (1 KB = 1024 bytes)' : 'a number'}`);
      continue;
    }
    out[key as keyof Bounds] = n;
  }
  if (out.gt !== undefined && out.lt !== undefined && out.gt >= out.lt) scope.warning(path, `bounds \`${describeBounds(out)}\` can never hold`);
  return out;
}
