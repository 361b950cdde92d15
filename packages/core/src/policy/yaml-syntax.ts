import { LineCounter, parseDocument } from 'yaml';
import { positionFinder } from './positions';

/** A YAML syntax mistake, where it is (1-based) and what it is. */
export interface YamlSyntaxError {
  line: number;
  col: number;
  message: string;
}

/**
 * The syntax errors of a YAML text (a duplicate key counts), for files a host reads with a
 * parser of its own that only says "could not parse" (haraka-config logs it and gives `{}`).
 */
export function yamlSyntaxErrors(text: string): YamlSyntaxError[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  return doc.errors.map((e) => {
    const { line, col } = lines.linePos(e.pos[0]);
    const message = e.code === 'DUPLICATE_KEY' ? 'this key is given twice in its map: keep one of them' : e.message.split('\n')[0]!;
    return { line, col, message };
  });
}

/**
 * Where a path of a YAML text is written (1-based line:col of its key; of the nearest enclosing
 * node when the key is absent), for hosts that check a file of their own (Haraka's mailward.yaml).
 */
export function yamlLocator(text: string): (path: readonly (string | number)[]) => { line: number; col: number } {
  const lines = new LineCounter();
  const find = positionFinder(parseDocument(text, { lineCounter: lines }), lines);
  return (path) => find(path);
}
