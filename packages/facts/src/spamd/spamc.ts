import type { Readable } from 'node:stream';
import type { SpamFact } from '@mailward/core';
import { describeEndpoint, openConnection, readReply, type Endpoint } from '../net/endpoint';

export interface SpamdOptions {
  endpoint: Endpoint;
  timeoutMs?: number;
  /** Ask for the full report (REPORT) instead of the rule names (SYMBOLS). */
  report?: boolean;
  /** spamd refuses or is slow on huge mail; larger messages are not sent (the fact says not scanned). */
  maxSize?: number;
  user?: string;
}

async function collect(input: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of input as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** "5.0", "-1.2": the number; anything else NaN. */
function decimal(text: string): number {
  return /^-?\d+(?:\.\d+)?$/.test(text) ? Number(text) : NaN;
}

/** Ask spamd (SPAMC/1.5) for a message's score, threshold and rule names. */
export async function checkSpam(input: Readable, size: number, options: SpamdOptions, signal?: AbortSignal): Promise<SpamFact> {
  const max = options.maxSize ?? 2 * 1024 * 1024;
  if (size > max) {
    input.destroy();
    // Not clean: not scanned. No spam condition matches it (a score of 0 would look clean).
    return { score: 0, symbols: [], notScanned: `${size} bytes is over the ${max} byte limit` };
  }
  const body = await collect(input);
  const socket = openConnection(options.endpoint, options.timeoutMs ?? 30_000, signal);
  const reply = readReply(socket);
  const verb = options.report ? 'REPORT' : 'SYMBOLS';
  const head = [`${verb} SPAMC/1.5`, `Content-length: ${body.length}`, ...(options.user ? [`User: ${options.user}`] : []), '', ''].join('\r\n');
  socket.end(Buffer.concat([Buffer.from(head), body]));
  let answer: Buffer;
  try {
    answer = await reply;
  } catch (err) {
    // A refused connection or a silent spamd: which spamd, as clamd's errors say which clamd.
    throw new Error(`spamd ${describeEndpoint(options.endpoint)}: ${(err as Error).message}`);
  }
  const text = answer.toString('utf8');
  const [status = '', ...rest] = text.split('\r\n');
  if (!/^SPAMD\/\d\.\d+ 0 /.test(status)) throw new Error(`spamd ${describeEndpoint(options.endpoint)}: ${status || 'closed without an answer'}`);
  const blank = rest.indexOf('');
  const headers = rest.slice(0, blank < 0 ? rest.length : blank);
  const content = blank < 0 ? '' : rest.slice(blank + 1).join('\r\n').trim();
  const spam = headers.map((h) => /^Spam:\s*(\w+)\s*;\s*(\S+)\s*\/\s*(\S+)/i.exec(h)).find(Boolean);
  if (!spam) throw new Error(`spamd ${describeEndpoint(options.endpoint)}: no Spam header in the answer`);
  // A score that is not a number ("1.2.3") would compare false with every bound, as if clean.
  const score = decimal(spam[2]!);
  const threshold = decimal(spam[3]!);
  if (Number.isNaN(score) || Number.isNaN(threshold)) {
    throw new Error(`spamd ${describeEndpoint(options.endpoint)}: no score in "${spam[0]}"`);
  }
  const fact: SpamFact = { score, threshold };
  if (options.report) fact.report = content;
  else fact.symbols = content.split(',').map((s) => s.trim()).filter(Boolean);
  return fact;
}
