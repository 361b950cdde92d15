import { Readable } from 'node:stream';

/**
 * Random access to a decoded body, in memory or in a temp file, so archive listing can seek to
 * a zip's central directory or from tar header to tar header without holding a spooled file.
 */
export interface ByteSource {
  readonly length: number;
  /** Up to `length` bytes from `offset` (fewer at the end). */
  read(offset: number, length: number): Buffer;
  /** The whole body as a stream (to gunzip it or to analyze an attached message). */
  stream(): Readable;
}

/** A ByteSource over bytes already in memory. */
export function bufferSource(buf: Buffer): ByteSource {
  return {
    length: buf.length,
    read: (offset, length) => buf.subarray(Math.max(0, offset), Math.max(0, offset) + Math.max(0, length)),
    stream: () => Readable.from([buf]),
  };
}

/** The first `length` bytes of a source, at the same offsets (the bytes before a zip). */
export function prefixSource(src: ByteSource, length: number): ByteSource {
  const end = Math.min(length, src.length);
  return {
    length: end,
    read: (offset, count) => src.read(offset, Math.max(0, Math.min(count, end - offset))),
    stream: () => Readable.from((function* chunks() {
      for (let at = 0; at < end; at += 1 << 16) yield src.read(at, Math.min(1 << 16, end - at));
    })()),
  };
}
