import { PassThrough, Readable } from 'node:stream';
import type { MessageSource } from '@mailward/core';
import type { HarakaMessageStream } from './haraka-types';

/**
 * The message as received, read once from Haraka's message_stream (dot-stuffing removed, CRLF)
 * and kept in memory so analyze, the scanners and the rewriter can each open it: a
 * message_stream cannot be piped twice at the same time.
 */
export async function readMessage(stream: HarakaMessageStream): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (chunk: Buffer) => chunks.push(chunk));
    sink.on('end', () => resolve(Buffer.concat(chunks)));
    sink.on('error', reject);
    stream.on('error', reject);
    stream.pipe(sink, { line_endings: '\r\n' });
  });
}

/** A MessageSource over bytes already in memory. */
export function messageSource(bytes: Buffer): MessageSource {
  return { size: bytes.length, open: () => Readable.from([bytes]) };
}

/** Collects a stream into one Buffer. */
export async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}
