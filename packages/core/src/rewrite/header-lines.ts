import { isUtf8 } from 'node:buffer';
import { Libmime } from 'libmime';
import { scanLines } from './long-lines';

const libmime = new Libmime();

const MAX = 998;

/** An encoded word (RFC 2047 2): charset, an RFC 2231 language, encoding and text. */
const ENCODED_WORD = /=\?([^?\s*]+)(\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=/g;

/** RFC 2047 2: an encoded word is at most 75 characters. */
const WORD_MAX = 75;

/** Charsets whose text can be cut between any two octets (UTF-8: between characters). */
const OCTET_CHARSETS = /^(?:us-ascii|ascii|utf-?8|iso[-_]?8859-\d+|latin-?\d|windows-125\d|cp125\d|koi8-[ru])$/i;

/** The octets of an encoded word's text, one string per octet as written (`=E9`, `a`, `_`; base64: one octet per entry). */
function wordOctets(encoding: string, text: string): string[] {
  if (encoding === 'b' || encoding === 'B') return [...Buffer.from(text, 'base64')].map((b) => String.fromCharCode(b));
  return text.match(/=[0-9A-Fa-f]{2}|[^]/g) ?? [];
}

const octetValue = (encoding: string, octet: string): number => (encoding === 'b' || encoding === 'B' ? octet.charCodeAt(0) : octet.length === 3 ? parseInt(octet.slice(1), 16) : octet.charCodeAt(0));

/**
 * An encoded word too long for a line as several words of at most 75 characters, to be written
 * with white space between them, which readers drop (RFC 2047 6.2): the same text, and each
 * word decodes alone, as strict readers need. The charset and encoding stay where the octets
 * can be cut (UTF-8 between characters); other text is decoded and written again in UTF-8.
 */
function splitWord(word: string, charset: string, language: string, encoding: string, text: string): string[] {
  if (!OCTET_CHARSETS.test(charset)) {
    const decoded = libmime.decodeWords(word);
    if (!decoded.includes('\uFFFD')) return libmime.encodeWord(decoded, 'B', 52).split(' ');
  }
  const utf8 = /^utf-?8$/i.test(charset);
  const head = `=?${charset}${language}?${encoding}?`;
  const room = Math.max(WORD_MAX - head.length - 2, 8);
  const octets = wordOctets(encoding, text);
  const words: string[] = [];
  let from = 0;
  while (from < octets.length) {
    let to = from;
    let size = 0;
    const b = encoding === 'b' || encoding === 'B';
    while (to < octets.length && (b ? Math.ceil((to - from + 1) / 3) * 4 : size + octets[to]!.length) <= room) size += octets[to++]!.length;
    // A UTF-8 character is not cut: back off to its first octet (10xxxxxx are the rest).
    while (utf8 && to < octets.length && to > from + 1 && (octetValue(encoding, octets[to]!) & 0xc0) === 0x80) to--;
    if (to === from) to = from + 1;
    const piece = octets.slice(from, to);
    words.push(`${head}${b ? Buffer.from(piece.map((o) => o.charCodeAt(0))).toString('base64') : piece.join('')}?=`);
    from = to;
  }
  return words;
}

/** The line with each encoded word that no line could hold written as several words. */
function splitLongWords(line: string): string {
  return line.replace(ENCODED_WORD, (word: string, charset: string, language: string | undefined, encoding: string, text: string) =>
    word.length < MAX - 1 ? word : splitWord(word, charset, language ?? '', encoding, text).join(' '));
}

/** True when the octets held in `text` (a latin1 string) are 8-bit and valid UTF-8. */
const isUtf8Text = (text: string): boolean => /[\x80-\xff]/.test(text) && isUtf8(Buffer.from(text, 'latin1'));

/** Per offset of `line`: inside a quoted string, and inside an encoded word. */
function spans(line: string): { quoted: Uint8Array; inWord: Uint8Array } {
  const quoted = new Uint8Array(line.length + 1);
  const inWord = new Uint8Array(line.length + 1);
  let q = false;
  for (let i = 0; i < line.length; i++) {
    quoted[i] = q ? 1 : 0;
    if (q && line[i] === '\\') {
      quoted[++i] = 1;
      continue;
    }
    if (line[i] === '"') q = !q;
  }
  for (const m of line.matchAll(ENCODED_WORD)) inWord.fill(1, m.index + 1, m.index + m[0].length);
  return { quoted, inWord };
}

/**
 * A physical header line over 998 octets, broken into lines that are not. The break is, by
 * preference: before white space (the field's value is unchanged); after a comma or a semicolon
 * outside a quoted string, or between or before encoded words (CRLF SP there adds white space
 * where a list or a parameter list allows it, and between encoded words readers drop it); and
 * only then inside a token, with CRLF SP as Postfix does, never inside an encoded word, nor
 * inside a character of a line in UTF-8 (RFC 6532): each line stays UTF-8.
 */
function foldLine(original: string): string[] {
  const line = splitLongWords(original);
  const { quoted, inWord } = spans(line);
  const utf8 = isUtf8Text(line);
  const out: string[] = [];
  let from = 0;
  let lead = ''; // the space a break inside a token put before the rest
  while (lead.length + line.length - from > MAX) {
    const last = from + MAX - lead.length; // the piece is line[from, cut)
    const low = out.length === 0 ? line.indexOf(':') + 1 : from + (lead ? 0 : 1);
    let cut = -1;
    let space = false;
    for (let i = last; i > low && cut < 0; i--) {
      if ((line[i] === ' ' || line[i] === '\t') && /[^ \t]/.test(line.slice(from, i))) cut = i;
    }
    for (let i = last; i > low && cut < 0; i--) {
      const afterSeparator = (line[i - 1] === ',' || line[i - 1] === ';') && !quoted[i - 1];
      const wordStart = line.startsWith('=?', i) && !inWord[i] && !quoted[i];
      if ((afterSeparator && !inWord[i - 1]) || wordStart) {
        cut = i;
        space = true;
      }
    }
    if (cut < 0) {
      cut = last;
      space = true;
      // Not between a UTF-8 lead octet and its continuation octets (10xxxxxx).
      while (utf8 && cut > from + 1 && (line.charCodeAt(cut) & 0xc0) === 0x80) cut--;
      // Not inside an encoded word: before it, when it does not start the piece.
      let start = cut;
      while (start > from && inWord[start]) start--;
      if (inWord[cut] && start > low) cut = start;
    }
    out.push(lead + line.slice(from, cut));
    lead = space ? ' ' : '';
    from = cut;
  }
  out.push(lead + line.slice(from));
  return out;
}

/** A parameter of a Content-Type or Content-Disposition line: where it starts, its name, `*` when extended, its value as written. */
const PARAMETER = /(^[ \t]+|;[ \t]*)([A-Za-z0-9!#$&+^_`{}~.-]+)(\*?)=("(?:[^"\\]|\\.)*"|[^;\s"]+)/g;

/** Characters in a piece of a parameter written as continuations. */
const PIECE = 60;

/** `units` (an escape pair or a `%xx` is one, kept whole) in runs of at most PIECE characters. */
function runs(units: string[]): string[] {
  const out: string[] = [];
  let run = '';
  for (const u of units) {
    if (run.length + u.length > PIECE && run !== '') {
      out.push(run);
      run = '';
    }
    run += u;
  }
  return [...out, run];
}

/** For each position of `line`, whether it is inside a quoted string (`\\"` escapes a quote). */
function insideQuotes(line: string, startsQuoted: boolean): boolean[] {
  const inside: boolean[] = [];
  let q = startsQuoted;
  for (let i = 0; i < line.length; i++) {
    inside.push(q);
    if (q && line[i] === '\\') {
      inside.push(q);
      i++;
    } else if (line[i] === '"') q = !q;
  }
  inside.push(q);
  return inside;
}

/**
 * A Content-Type or Content-Disposition line with each parameter no line could hold written as
 * RFC 2231 continuations (`filename*0="..."; filename*1="..."`): the same value, where a break
 * inside its quoted string would put a space in the file name. A value in encoded words is left
 * to splitLongWords (its words may stand on lines of their own).
 */
function continueLongParameters(line: string, startsQuoted: boolean): string {
  const inQuote = insideQuotes(line, startsQuoted);
  return line.replace(PARAMETER, (whole: string, lead: string, name: string, star: string, value: string, at: number) => {
    // Only a file's name: a boundary is structure (RFC 2046: at most 70), and text inside a
    // quoted string (one that began on an earlier line too) is no parameter at all.
    if (!/^(?:file)?name$/i.test(name) || inQuote[at]) return whole;
    if (whole.length - lead.length < MAX - 2 || value.includes('=?')) return whole;
    const quoted = value.startsWith('"');
    const text = quoted ? value.slice(1, -1) : value;
    if (star) {
      // name*=charset'language'%xx...: the pieces are extended too, the first with the charset.
      const plain = text.replace(/\\(.)/g, '$1');
      const tick = plain.indexOf("'", plain.indexOf("'") + 1) + 1;
      const pieces = runs(plain.slice(tick).match(/%[0-9A-Fa-f]{2}|[^]/g) ?? []);
      return lead + pieces.map((p, i) => `${name}*${i}*=${i === 0 ? plain.slice(0, tick) : ''}${p}`).join('; ');
    }
    // A UTF-8 name (RFC 6532) is cut between its characters: each line stays UTF-8.
    const pieces = runs(text.match(isUtf8Text(text) ? /\\?(?:[\xc0-\xff][\x80-\xbf]*|[^])/g : /\\.|[^]/g) ?? []);
    return lead + pieces.map((p, i) => `${name}*${i}="${p}"`).join('; ');
  });
}

/**
 * The header block (CRLF line ends) with every line within 998 octets, and the names of the
 * fields that were folded; undefined when it already is. A header line that long cannot be
 * relayed, so it is folded where it stands.
 */
export function foldLongHeaderLines(block: Buffer): { block: Buffer; names: string[] } | undefined {
  if (!scanLines(block, 0).long) return undefined;
  const names: string[] = [];
  let field = '';
  let quoted = false; // the field's quoted string goes on from its line before
  const out: string[] = [];
  for (const l of block.toString('latin1').split('\r\n')) {
    if (l !== '' && l[0] !== ' ' && l[0] !== '\t') {
      field = l.slice(0, Math.max(0, l.indexOf(':'))) || l.slice(0, 40);
      quoted = false;
    }
    const startsQuoted = quoted;
    quoted = insideQuotes(l, quoted)[l.length]!;
    if (l.length <= MAX) {
      out.push(l);
      continue;
    }
    out.push(...foldLine(/^content-(?:type|disposition)$/i.test(field.trim()) ? continueLongParameters(l, startsQuoted) : l));
    if (!names.includes(field)) names.push(field);
  }
  return { block: Buffer.from(out.join('\r\n'), 'latin1'), names };
}
