import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, createWriteStream, writeFileSync, type WriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createFile, fsyncAsync, removeFile } from './durable-file';

/**
 * Messages up to this size are held in memory while DATA arrives and written in one call at its
 * end; bigger ones are streamed to disk as they come. Every file operation handed to libuv's
 * thread pool costs a thread wake-up and an event-loop wake-up: a 5 KB message written as one
 * write and one fsync costs four fewer than a write stream's open, write, fsync, close.
 */
const HOLD = 256 * 1024;

/** A message received into its spool file, with its size and SHA-256. */
export interface ReceivedFile {
  size: number;
  sha256: string;
  /** Every octet was ASCII (the delivery then needs neither 8BITMIME nor SMTPUTF8 for it). */
  ascii: boolean;
  /** The bytes themselves, when the message was small enough to be held. */
  bytes?: Buffer;
  /**
   * Resolves once the file is fsynced. A held message's fsync runs while the data stage decides
   * and the record is written (each fsync waits several ms for the journal on a busy disk);
   * whatever acknowledges the message waits for it, and a failure refuses the message.
   */
  synced: Promise<void>;
}

/**
 * Receive DATA into `file`: written when this resolves, fsynced when `synced` does. On any
 * failure (the client went away, the disk is full) the file is removed before the error is
 * passed on: nothing was acknowledged.
 */
export async function receiveFile(file: string, data: Readable): Promise<ReceivedFile> {
  const hash = createHash('sha256');
  let size = 0;
  let ascii = true;
  const held: Buffer[] = [];
  let stream: WriteStream | undefined;
  let onData: ((chunk: Buffer) => void) | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => {
        data.pause();
        reject(err);
      };
      onData = (chunk: Buffer): void => {
        hash.update(chunk);
        size += chunk.length;
        if (ascii && !isAscii(chunk)) ascii = false;
        if (!stream && size <= HOLD) {
          held.push(chunk);
          return;
        }
        if (!stream) {
          stream = createWriteStream(file, { mode: 0o600, flush: true });
          stream.on('error', fail);
          for (const c of held.splice(0)) stream.write(c);
        }
        if (!stream.write(chunk)) {
          data.pause();
          stream.once('drain', () => data.resume());
        }
      };
      data.on('data', onData);
      data.once('end', resolve);
      data.once('error', fail);
      data.once('close', () => {
        if (!data.readableEnded) fail(new Error('DATA ended before its end'));
      });
    });
    if (stream) {
      // flush: fsynced before it closes.
      const writer = stream;
      await new Promise<void>((resolve, reject) => {
        writer.once('error', reject);
        writer.once('close', resolve);
        writer.end();
      });
      return { size, sha256: hash.digest('hex'), ascii, synced: Promise.resolve() };
    }
    const bytes = held.length === 1 ? held[0]! : Buffer.concat(held);
    // Written from the event loop: a page-cache copy of at most HOLD bytes.
    const fd = await createFile(file);
    try {
      writeFileSync(fd, bytes);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    const synced = fsyncAsync(fd).finally(() => closeSync(fd));
    synced.catch(() => undefined); // the commit awaits it; a message refused meanwhile never does
    return { size, sha256: hash.digest('hex'), ascii, bytes, synced };
  } catch (err) {
    if (onData) data.off('data', onData);
    stream?.destroy();
    // The error to pass on is this one: on a read-only or failing disk the removal fails too,
    // and its error would hide why. A file left behind is in tmp/, emptied at start.
    await removeFile(file).catch(() => undefined);
    throw err;
  }
}

/** Bytes held in memory as a byte stream (not Readable.from's object mode). */
export function streamOf(bytes: Buffer): Readable {
  const stream = new Readable({ read() {} });
  stream.push(bytes);
  stream.push(null);
  return stream;
}
