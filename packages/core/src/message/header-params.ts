import { decodeMimeWords } from './mime-words';

/** A structured header value: `type/sub; a=b; name*0*=...` with every parameter occurrence kept. */
export interface StructuredValue {
  value: string;
  /** Parameter name (lower case) -> every value it was given, RFC 2231 pieces joined and decoded. */
  params: Map<string, string[]>;
}

/** Split on `;` outside quotes, keeping quoted text as written. */
function splitSegments(input: string): string[] {
  if (!input.includes('"')) return input.split(';');
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const ch = input.charCodeAt(i);
    if (ch === 0x5c && quoted) i++; // a backslash keeps the character after it (a quote) as text
    else if (ch === 0x22) quoted = !quoted;
    else if (ch === 0x3b && !quoted) {
      out.push(input.slice(start, i));
      start = i + 1;
    }
  }
  out.push(input.slice(start));
  return out;
}

/**
 * A parameter value as readers take it: a quoted string's content, without what follows its
 * closing quote (`"invoice.exe" (scanned)` is invoice.exe, as mailsplit reads it) and to the end
 * when it is never closed (`"love-letter.txt`); anything else as written.
 */
function unquote(raw: string): string {
  const v = raw.trim();
  if (!v.startsWith('"')) return v;
  const close = v.indexOf('"', 1);
  const escape = v.indexOf('\\', 1);
  if (escape < 0 || (close >= 0 && close < escape)) return close < 0 ? v.slice(1) : v.slice(1, close);
  let out = '';
  for (let i = 1; i < v.length; i++) {
    const ch = v[i]!;
    if (ch === '"') return out;
    out += ch === '\\' && i + 1 < v.length ? v[++i] : ch;
  }
  return out;
}

/** Percent-decode to bytes, then to text in `charset` (RFC 2231 extended values). */
export function decodeExtended(raw: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const hex = raw.slice(i + 1, i + 3);
    if (raw[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of Buffer.from(raw[i]!, 'utf8')) bytes.push(b);
    }
  }
  try {
    return decodeMimeWords(`=?${charset || 'utf-8'}?B?${Buffer.from(bytes).toString('base64')}?=`);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}

interface Piece {
  index: number;
  extended: boolean;
  text: string;
}

/**
 * The value with its comments (RFC 2045 5.1 allows RFC 822 comments: `attachment; (c) filename=x`)
 * cut out, each left as a space; quoted strings kept as written. A comment never closed runs to
 * the end, as RFC 822 reads it.
 */
export function withoutComments(input: string): string {
  if (!input.includes('(')) return input;
  let out = '';
  let quoted = false;
  let depth = 0;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (ch === '\\' && (quoted || depth > 0)) {
      if (depth === 0) out += ch + (input[i + 1] ?? '');
      i++;
    } else if (depth > 0) {
      if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) out += ' ';
    } else if (ch === '"') {
      quoted = !quoted;
      out += ch;
    } else if (ch === '(' && !quoted) {
      depth = 1;
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * Parse a Content-Type or Content-Disposition value; never throws. As most readers do, comments
 * are text here; `{ comments: true }` reads them as RFC 2045 does, as comments. White space in a
 * parameter's name is dropped either way (`name *=utf-8''x` is read as `name*=` by Python's email).
 */
export function parseStructured(text: string, options: { comments?: boolean } = {}): StructuredValue {
  const input = options.comments ? withoutComments(text) : text;
  const rest = splitSegments(input);
  // A value with no type (`Content-Disposition: filename="a.bat"`) still has parameters: Python's
  // email reads that name.
  const head = /^[^/=]*=/.test(rest[0]!) ? '' : rest.shift()!;
  const params = new Map<string, string[]>();
  const continued = new Map<string, Piece[]>();
  const add = (name: string, value: string): void => {
    const list = params.get(name);
    if (list) list.push(value);
    else params.set(name, [value]);
  };
  for (const segment of rest) {
    const eq = segment.indexOf('=');
    if (eq < 0) continue;
    const key = segment.slice(0, eq).replace(/[ \t\r\n]+/g, '').toLowerCase();
    const raw = segment.slice(eq + 1);
    const m = key.includes('*') ? /^([^*]+)\*(?:(\d+)\*?|)$/.exec(key) : null;
    if (!m) {
      add(key, unquote(raw));
      continue;
    }
    const base = m[1]!;
    if (m[2] === undefined) {
      // name*=charset'lang'value
      const v = unquote(raw);
      const parts = v.split("'");
      add(base, parts.length >= 3 ? decodeExtended(parts.slice(2).join("'"), parts[0]!) : decodeExtended(v, 'utf-8'));
      continue;
    }
    const pieces = continued.get(base) ?? [];
    pieces.push({ index: Number(m[2]), extended: key.endsWith('*'), text: unquote(raw) });
    continued.set(base, pieces);
  }
  for (const [base, pieces] of continued) {
    pieces.sort((a, b) => a.index - b.index);
    let charset = 'utf-8';
    const first = pieces[0];
    if (first?.extended) {
      const parts = first.text.split("'");
      if (parts.length >= 3) {
        charset = parts[0] || 'utf-8';
        first.text = parts.slice(2).join("'");
      }
    }
    const joined = pieces.map((p) => (p.extended ? p.text : p.text.replace(/%/g, '%25'))).join('');
    add(base, decodeExtended(joined, charset));
  }
  return { value: head.trim().toLowerCase(), params };
}
