/**
 * Lines of a generated DSN within RFC 5322 2.1.1's limits: 78 octets where the words allow it
 * (its SHOULD), 998 always (its MUST). A hub's reply can be longer than either, on one line or
 * several, and strict readers refuse a message with a line over 998 octets.
 */
const WIDTH = 78;
const MAX = 998;

const octets = (text: string): number => Buffer.byteLength(text);

/** `word` cut into pieces of at most `max` octets, between characters (a UTF-8 one is never split). */
function cut(word: string, max: number): string[] {
  const out: string[] = [];
  let piece = '';
  for (const ch of word) {
    if (piece !== '' && octets(piece + ch) > max) {
      out.push(piece);
      piece = '';
    }
    piece += ch;
  }
  if (piece !== '') out.push(piece);
  return out;
}

/**
 * Words put on lines of at most WIDTH octets where a word allows, each line after the first
 * starting with `indent`; with `cutLong`, a word too long for a line of MAX octets is cut first,
 * so none is longer.
 */
function fill(first: string, words: string[], indent: string, cutLong: boolean): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of words.flatMap((w) => (cutLong && octets(indent + w) > MAX ? cut(w, MAX - octets(indent)) : [w]))) {
    const longer = line === '' || /\s$/.test(line) ? line + word : `${line} ${word}`;
    if (octets(longer) <= WIDTH || line.trim() === '') line = longer;
    else {
      lines.push(line);
      line = indent + word;
    }
  }
  lines.push(line);
  return lines;
}

/**
 * A DSN field folded at white space (RFC 5322 2.2.3), which a reader unfolds back to the same
 * text with single spaces. A word no line can hold (over 998 octets with the fold's space: no
 * SMTP reply line is that long, RFC 5321 4.5.3.1.5) is cut, and reads back with a space where
 * it was cut: a DSN field has no encoding that could carry it whole (RFC 3464 2.1.1).
 */
export function foldField(name: string, value: string): string {
  return fill(`${name}:`, value.split(/\s+/).filter((w) => w !== ''), ' ', true).join('\r\n');
}

/**
 * One line of readable text wrapped at white space: the lines after the first are indented four
 * spaces more than it. A word that does not fit WIDTH stays whole on its line (wrapText's
 * caller then sends the part quoted-printable).
 */
export function wrapText(line: string): string[] {
  const lead = /^\s*/.exec(line)![0];
  const words = line.slice(lead.length).split(/\s+/).filter((w) => w !== '');
  return fill(lead, words, `${lead}    `, false);
}

/** Whether every line of `text` (CRLF between lines) fits WIDTH octets. */
export function fitsWidth(text: string): boolean {
  return text.split('\r\n').every((l) => octets(l) <= WIDTH);
}

const QP_WIDTH = 76;

/**
 * Text as quoted-printable (RFC 2045 6.7) of its UTF-8 octets: lines of at most 76 characters,
 * soft breaks where a line is longer, so a word of any length arrives whole and no line is long.
 */
export function quotedPrintable(text: string): string {
  return text.split('\r\n').map((line) => {
    const bytes = Buffer.from(line);
    const out: string[] = [];
    let current = '';
    bytes.forEach((b, i) => {
      const last = i === bytes.length - 1;
      const plain = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
      const piece = plain ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
      // A soft break ('=') ends a line that goes on: it needs its column too.
      if (current.length + piece.length > (last ? QP_WIDTH : QP_WIDTH - 1)) {
        out.push(`${current}=`);
        current = '';
      }
      current += piece;
    });
    out.push(current);
    return out.join('\r\n');
  }).join('\r\n');
}
