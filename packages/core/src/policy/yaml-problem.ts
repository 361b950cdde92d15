import type { LineCounter, YAMLError } from 'yaml';
import type { PolicyProblem } from './policy-error';

interface Line {
  /** 1-based line number. */
  number: number;
  text: string;
}

/** The first token of a line: the key (after any `- ` item marks) and its 1-based column. */
function keyOf(text: string): { key: string; col: number } | undefined {
  const m = /^([ \t]*(?:-[ \t]+)*)([^\s#][^:#]*?)[ \t]*:(?:[ \t]|$)/.exec(text);
  return m ? { key: m[2]!, col: m[1]!.length + 1 } : undefined;
}

/** The nearest line above `line` with content (not blank, not only a comment). */
function lineAbove(lines: readonly string[], line: number): Line | undefined {
  for (let n = line - 1; n >= 1; n--) {
    const text = lines[n - 1]!;
    if (text.trim() !== '' && !text.trim().startsWith('#')) return { number: n, text };
  }
  return undefined;
}

/** Where the bad line's token starts and what the line above it lines up to. */
function indentHint(lines: readonly string[], line: number, col: number): string | undefined {
  const here = lines[line - 1] ?? '';
  const above = lineAbove(lines, line);
  if (here.trimStart().startsWith('-')) {
    const item = [...lines.slice(0, line - 1).entries()].reverse().find(([, t]) => /^[ ]*-(?:[ \t]|$)/.test(t));
    if (!item) return undefined;
    const itemCol = item[1].indexOf('-') + 1;
    if (itemCol === col) return undefined;
    return `this \`-\` starts at column ${col}, the item on line ${item[0] + 1} at column ${itemCol}: items of one list must start at the same column`;
  }
  const mine = keyOf(here);
  const theirs = above && keyOf(above.text);
  if (!mine || !theirs || !above || theirs.col === col) return undefined;
  return `\`${mine.key}\` starts at column ${col}, \`${theirs.key}\` on line ${above.number} at column ${theirs.col}: keys of one mapping must start at the same column (indent \`${mine.key}\` to column ${theirs.col} to put it beside \`${theirs.key}\`)`;
}

/**
 * The innermost `[`, `{` or quote still open at `end`: where an unclosed flow collection or
 * string starts (the parser reports where it noticed, often lines later). A quote counts only
 * where a quoted scalar can start, so the apostrophe in `don't` does not.
 */
function openerBefore(text: string, end: number): { offset: number; char: string } | undefined {
  const open: { offset: number; char: string }[] = [];
  let quote: { offset: number; char: string } | undefined;
  for (let i = 0; i < end; i++) {
    const c = text[i]!;
    if (quote) {
      if (quote.char === '"' && c === '\\') i++;
      else if (c === quote.char && quote.char === "'" && text[i + 1] === "'") i++;
      else if (c === quote.char) quote = undefined;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < end && text[i] !== '\n') i++;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s:\-[{,]/.test(text[i - 1]!))) {
      quote = { offset: i, char: c };
    } else if (c === '[' || c === '{') open.push({ offset: i, char: c });
    else if (c === ']' || c === '}') open.pop();
  }
  return quote ?? open.at(-1);
}

/** What to change for a YAML error the parser reports in its own terms. */
function hint(error: YAMLError, lines: readonly string[], line: number, col: number, syntax: string): string {
  const fallback = `fix the ${syntax} syntax`;
  switch (error.code) {
    case 'TAB_AS_INDENT':
      return 'YAML indentation must use spaces, not tabs; replace the tab with spaces';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      if (/followed by map values/.test(error.message)) return 'a key needs a colon and a space after it (`do: [ strip ]`)';
      if (error.code === 'MISSING_CHAR' && !/without - indicator/.test(error.message)) return fallback;
      return indentHint(lines, line, col) ?? `indent it like the other entries of its mapping or list; ${fallback}`;
    case 'BLOCK_AS_IMPLICIT_KEY':
      if (/compact mappings/.test(error.message)) return 'a value with ": " in it must be quoted ("a: b")';
      return fallback;
    case 'BAD_DQ_ESCAPE':
      // Typically a regex or a Windows path: YAML reads \d in "..." as an escape, not as \ and d.
      return syntax === 'JSON'
        ? 'in a JSON string a backslash starts an escape; write \\\\ for one backslash'
        : 'in a "double-quoted" string a backslash starts an escape; put the text in \'single quotes\' (\'re:^a\\.b\') or write \\\\ for one backslash';
    case 'DUPLICATE_KEY': {
      const key = keyOf(lines[line - 1] ?? '')?.key;
      return `${key !== undefined ? `\`${key}\`` : 'this key'} is given twice in the same mapping; keep one`;
    }
    default:
      return fallback;
  }
}

/**
 * The first syntax error of a policy as one problem: where the offending token starts and what
 * to change. Only the first: after one bad indent or tab the parser's further errors are
 * consequences that go away with it.
 */
export function yamlProblem(errors: readonly YAMLError[], text: string, counter: LineCounter, file: string): PolicyProblem {
  const error = errors[0]!;
  const said = error.message.split('\n')[0]!;
  const syntax = file.endsWith('.json') ? 'JSON' : 'YAML';
  const unclosed = /^Flow (sequence|map)|^Missing closing/.test(said) ? openerBefore(text, error.pos[0]) : undefined;
  if (unclosed) {
    const { line, col } = counter.linePos(unclosed.offset);
    const closer = unclosed.char === '[' ? ']' : unclosed.char === '{' ? '}' : unclosed.char;
    const what = unclosed.char === '[' || unclosed.char === '{' ? `the ${unclosed.char} here is never closed` : `the string that starts with ${unclosed.char} here is never closed`;
    return { file, line, col, message: `${said}; ${what}: add ${closer} where it ends`, severity: 'error' };
  }
  let offset = error.pos[0];
  // An indentation error is reported at the start of its line; point at the token instead.
  if (error.code !== 'TAB_AS_INDENT') while (text[offset] === ' ') offset++;
  if (text[offset] === '\n' || offset >= text.length) offset = error.pos[0];
  const { line, col } = counter.linePos(offset);
  const fix = hint(error, text.split(/\r?\n/), line, col, syntax);
  return { file, line, col, message: error.code === 'TAB_AS_INDENT' ? fix : `${said}; ${fix}`, severity: 'error' };
}
