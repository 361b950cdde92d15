import { isMap, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import type { PolicyPath } from './compile-scope';
import type { ProblemPlace } from './problem-at';

/**
 * Maps a path in the parsed policy to the 1-based line:col of the YAML (or JSON) that wrote it:
 * the key for a key that is present (its value with `at: 'value'`), else the nearest enclosing
 * node that is.
 */
export function positionFinder(doc: Document, lines: LineCounter): (path: PolicyPath, at?: ProblemPlace) => { line: number; col: number } {
  return (path, at = 'key') => {
    let node: unknown = doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(key));
        if (!pair) break;
        offset = rangeStart(pair.key) ?? offset;
        node = pair.value;
        if (key !== path[path.length - 1] || at === 'value') offset = rangeStart(node) ?? offset;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
        offset = rangeStart(node) ?? offset;
      } else break;
    }
    const pos = lines.linePos(offset);
    return { line: pos.line, col: pos.col };
  };
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}
