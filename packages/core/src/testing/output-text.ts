import * as iconv from 'iconv-lite';
import { BodyDecoder } from '../message/body-decoder';
import { decodeMimeWords } from '../message/mime-words';

/**
 * The text a reader sees in a delivered message, for a case's `output: { contains, lacks }`:
 * header fields unfolded with their encoded words decoded, and each part's body decoded by its
 * Content-Transfer-Encoding and charset (multiparts walked, boundaries left out). LF line ends.
 */
export function decodedText(message: Buffer): string {
  return entityText(message.toString('latin1').replace(/\r\n/g, '\n'), 0);
}

// The entity is held as latin1 so that every byte stays one character until its charset is known.
function entityText(entity: string, depth: number): string {
  const split = entity.search(/^\n|\n\n/);
  const head = split < 0 ? entity : entity.slice(0, split);
  const body = split < 0 ? '' : entity.slice(split).replace(/^\n\n?/, '');
  const fields = head.replace(/\n[ \t]+/g, ' ').split('\n').filter((line) => line.includes(':'));
  const field = (name: string): string => {
    const line = fields.find((f) => f.slice(0, f.indexOf(':')).trim().toLowerCase() === name);
    return line === undefined ? '' : line.slice(line.indexOf(':') + 1).trim();
  };
  const headText = fields.map((line) => headerText(line)).join('\n');
  const type = field('content-type').toLowerCase();
  const boundary = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(field('content-type'));
  if (type.startsWith('multipart/') && boundary && depth < 50) {
    const parts = body.split(new RegExp(`^--${escape(boundary[1] ?? boundary[2])}(?:--)?[ \\t]*$`, 'm')).slice(1);
    return [headText, ...parts.map((p) => entityText(p.replace(/^\n/, ''), depth + 1))].join('\n\n');
  }
  const encoding = field('content-transfer-encoding').toLowerCase();
  const raw = Buffer.from(body, 'latin1');
  const decoder = new BodyDecoder(encoding);
  const bytes = Buffer.concat([decoder.write(raw), decoder.end()]);
  if (type.startsWith('message/rfc822') && depth < 50) return `${headText}\n\n${entityText(bytes.toString('latin1'), depth + 1)}`;
  const charset = /charset\s*=\s*"?([^\s;"]+)/i.exec(field('content-type'))?.[1] ?? 'utf-8';
  const text = iconv.encodingExists(charset) ? iconv.decode(bytes, charset) : bytes.toString('utf8');
  return `${headText}\n\n${text.replace(/\r\n/g, '\n')}`;
}

function headerText(line: string): string {
  const at = line.indexOf(':');
  const value = Buffer.from(line.slice(at + 1).trim(), 'latin1').toString('utf8');
  try {
    return `${line.slice(0, at)}: ${decodeMimeWords(value)}`;
  } catch {
    return `${line.slice(0, at)}: ${value}`;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
