import { LineCounter, parseDocument } from 'yaml';

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
