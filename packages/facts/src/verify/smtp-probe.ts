import type { Socket } from 'node:net';
import { openConnection, type Endpoint } from '../net/endpoint';

/** Read SMTP replies line by line; resolves each complete (possibly multi-line) reply. */
function replies(socket: Socket): () => Promise<{ code: number; text: string }> {
  let buffer = '';
  const waiting: ((r: { code: number; text: string }) => void)[] = [];
  const ready: { code: number; text: string }[] = [];
  let failure: Error | undefined;
  const fail: ((e: Error) => void)[] = [];
  socket.on('data', (d: Buffer) => {
    buffer += d.toString('latin1');
    let m: RegExpExecArray | null;
    while ((m = /^(\d{3}) ([^\r\n]*)\r?\n/m.exec(buffer))) {
      const reply = { code: Number(m[1]), text: m[2] ?? '' };
      buffer = buffer.slice(m.index + m[0].length);
      const next = waiting.shift();
      if (next) next(reply);
      else ready.push(reply);
    }
  });
  const onEnd = (err?: Error): void => {
    failure = err ?? new Error('the hub closed the connection');
    for (const f of fail.splice(0)) f(failure);
  };
  socket.on('error', onEnd);
  socket.on('close', () => onEnd());
  return () =>
    new Promise((resolve, reject) => {
      const r = ready.shift();
      if (r) return resolve(r);
      if (failure) return reject(failure);
      waiting.push(resolve);
      fail.push(reject);
    });
}

/**
 * Ask the hub whether it accepts `address` (EHLO, MAIL FROM:<>, RCPT TO, QUIT); no message is
 * sent. Resolves true for 2xx, false for 5xx; rejects on 4xx or any failure (the hub could not
 * say, so the fact is an error and the rule's onError decides).
 */
export async function probeRecipient(hub: Endpoint, address: string, options: { helo?: string; timeoutMs?: number }, signal?: AbortSignal): Promise<boolean> {
  const socket = openConnection(hub, options.timeoutMs ?? 10_000, signal);
  const next = replies(socket);
  const say = async (line: string): Promise<{ code: number; text: string }> => {
    socket.write(`${line}\r\n`);
    return next();
  };
  try {
    const expect2xx = (r: { code: number; text: string }, what: string): void => {
      if (r.code >= 300) throw new Error(`hub answered ${r.code} ${r.text} to ${what}`);
    };
    expect2xx(await next(), 'the greeting');
    expect2xx(await say(`EHLO ${options.helo ?? 'mailward.invalid'}`), 'EHLO');
    expect2xx(await say('MAIL FROM:<>'), 'MAIL FROM');
    const rcpt = await say(`RCPT TO:<${address}>`);
    if (rcpt.code >= 200 && rcpt.code < 300) return true;
    if (rcpt.code >= 500) return false;
    throw new Error(`hub answered ${rcpt.code} ${rcpt.text} to RCPT TO`);
  } finally {
    socket.end('QUIT\r\n');
    socket.destroySoon?.();
  }
}
