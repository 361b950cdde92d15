/** A DSN read the way a mail reader splits it (mailsplit): each entity's type, encoding, header bytes and body bytes. */
import { Readable } from 'node:stream';
import { Splitter, type MimeNode, type SplitterChunk } from '@zone-eu/mailsplit';

export interface DsnPart {
  type: string;
  encoding: string;
  header: Buffer;
  body: Buffer;
}

export async function dsnParts(message: Buffer): Promise<DsnPart[]> {
  const parts: DsnPart[] = [];
  const of = new Map<MimeNode, DsnPart>();
  const splitter = new Splitter();
  await new Promise<void>((resolve, reject) => {
    splitter.on('data', (chunk: SplitterChunk) => {
      if (chunk.type === 'node') {
        const part: DsnPart = { type: chunk.contentType || 'text/plain', encoding: (chunk.encoding || '7bit').toLowerCase(), header: chunk.getHeaders(), body: Buffer.alloc(0) };
        parts.push(part);
        of.set(chunk, part);
      } else if (chunk.type === 'body') {
        const part = of.get(chunk.node)!;
        part.body = Buffer.concat([part.body, chunk.value]);
      }
    });
    (splitter as NodeJS.ReadableStream).on('end', resolve);
    (splitter as NodeJS.ReadableStream).on('error', reject);
    Readable.from([message]).pipe(splitter);
  });
  return parts;
}

/** A quoted-printable body decoded to its octets. */
export function fromQuotedPrintable(body: Buffer): Buffer {
  const text = body.toString('latin1').replace(/=\r?\n/g, '');
  return Buffer.from(text.replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
}

/** A header field's value with its folds taken out (RFC 5322 2.2.3). */
export function unfolded(text: string, name: string): string | undefined {
  const m = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r\\n[ \\t].*)*)`, 'm').exec(text);
  return m?.[1]!.replace(/\r\n(?=[ \t])/g, '');
}
