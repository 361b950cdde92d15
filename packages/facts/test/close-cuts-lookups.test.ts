/**
 * Closing the fact providers (a stopping gateway) cuts the lookups still running: a scanner
 * that never answers no longer keeps its socket, and the process, until its own timeout.
 */
import { createServer, Socket, type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createFactProviders } from '../src/create-providers';

const text = 'From: a@example.org\r\nTo: b@acme.example\r\nSubject: hello\r\n\r\nx\r\n';
const message = { size: text.length, open: (): Readable => Readable.from([Buffer.from(text)]) };

it.each(['clamd', 'spamd'] as const)('cuts a %s lookup that has no answer yet, and leaves no socket to it', async (scanner) => {
  const held: Socket[] = [];
  const silent = createServer({ allowHalfOpen: true }, (c) => {
    held.push(c);
    c.on('error', () => undefined);
    c.resume(); // reads what it is sent, never answers
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const { port } = silent.address() as AddressInfo;
  const options = { endpoint: { host: '127.0.0.1', port }, timeoutMs: 60_000 };
  const facts = createFactProviders(scanner === 'clamd' ? { clamd: options } : { spamd: options });
  const ctx = { signal: new AbortController().signal }; // a budget that never runs out
  try {
    const lookup = scanner === 'clamd' ? facts.providers.virus!(message, undefined, false, ctx) : facts.providers.spam!(message, ctx);
    const settled = lookup.then(() => 'answered', (e: Error) => e.message);
    for (const end = Date.now() + 5000; held.length === 0 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
    const started = Date.now();
    await facts.close();
    expect(await settled).toBe(`${scanner} 127.0.0.1:${port}: lookup cut: the fact providers were closed (shutdown)`);
    expect(Date.now() - started).toBeLessThan(2000);
    const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
    expect(handles.filter((h) => h instanceof Socket && h.remotePort === port && !h.destroyed)).toEqual([]);
  } finally {
    for (const c of held) c.destroy();
    await new Promise((r) => silent.close(r));
  }
}, 15_000);
