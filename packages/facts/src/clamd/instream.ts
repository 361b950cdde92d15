import type { Readable } from 'node:stream';
import { describeEndpoint, openConnection, readReply, type Endpoint } from '../net/endpoint';

export interface ClamdOptions {
  endpoint: Endpoint;
  /** The scan fails when clamd is silent this long (connecting, reading, scanning), ms. Default 30 s. */
  timeoutMs?: number;
  /** INSTREAM chunk size, bytes. Default 64 KiB. */
  chunkSize?: number;
}

/**
 * Scan a stream with clamd's INSTREAM command. Resolves to the virus names found ([] when
 * clean); rejects on every error, including clamd's size limit, so nothing passes as clean
 * because the scanner could not read it.
 */
export async function scanStream(input: Readable, options: ClamdOptions, signal?: AbortSignal): Promise<string[]> {
  const socket = openConnection(options.endpoint, options.timeoutMs ?? 30_000, signal);
  const reply = readReply(socket);
  reply.catch(() => undefined); // awaited below; keep an early error from being unhandled
  // What clamd said, even when the connection then fails (it answers the size limit and closes: EPIPE).
  const heard: Buffer[] = [];
  socket.on('data', (c: Buffer) => heard.push(c));
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const send = (data: Buffer): Promise<void> =>
    new Promise((resolve, reject) => {
      if (socket.destroyed) return reject(new Error('clamd closed the connection'));
      socket.write(data, (err) => (err ? reject(err) : resolve()));
    });
  try {
    await send(Buffer.from('zINSTREAM\0'));
    for await (const chunk of input as AsyncIterable<Buffer>) {
      for (let at = 0; at < chunk.length; at += chunkSize) {
        const piece = chunk.subarray(at, at + chunkSize);
        const length = Buffer.alloc(4);
        length.writeUInt32BE(piece.length);
        await send(Buffer.concat([length, piece]));
      }
    }
    await send(Buffer.alloc(4));
  } catch (err) {
    // clamd may have answered already (size limit) and closed: prefer its words, then the
    // connection's own error (ECONNREFUSED) over the write's ("Socket closed before ...").
    const early = await Promise.race([reply.catch((e: Error) => e), new Promise<undefined>((r) => setTimeout(r, 50, undefined))]);
    socket.destroy();
    const said = Buffer.concat(heard);
    if (said.length > 0) return parseReply(said.toString(), options.endpoint);
    const cause = early !== undefined && !Buffer.isBuffer(early) ? early : (err as Error);
    // Over its StreamMaxLength clamd answers and closes at once, and the reset often loses the answer.
    const cut = ['EPIPE', 'ECONNRESET'].includes((cause as NodeJS.ErrnoException).code ?? '');
    throw failure(options.endpoint, cut ? new Error(`${cause.message}: clamd closed the connection while the message was being sent (is it larger than clamd's StreamMaxLength?)`) : cause);
  }
  let answer: Buffer;
  try {
    answer = await reply;
  } catch (err) {
    throw failure(options.endpoint, err as Error);
  }
  return parseReply(answer.toString(), options.endpoint);
}

function failure(endpoint: Endpoint, err: Error): Error {
  return new Error(`clamd ${describeEndpoint(endpoint)}: ${err.message}`);
}

function parseReply(text: string, endpoint: Endpoint): string[] {
  const line = text.replace(/\0/g, '').trim();
  if (/^stream: OK$/.test(line)) return [];
  const found = /^stream: (.+) FOUND$/.exec(line);
  if (found) return [found[1]!];
  throw failure(endpoint, new Error(line || 'closed without an answer'));
}
