import { createReadStream, existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeRelays, relay } from '../src/delivery/smtp-relay';
import { freePort } from './free-port';
import { startHub, type HubSink } from './hub-sink';

/** How many of this process's file descriptors are open on `file` (Linux /proc). */
function openOn(file: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  }).length;
}

const linux = existsSync('/proc/self/fd') ? describe : describe.skip;

linux('relay over hops that fail', () => {
  let dir: string;
  let hub: HubSink;
  let busy: Server;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-hops-'));
    hub = await startHub();
    busy = createServer((socket) => socket.end('421 4.3.2 busy\r\n'));
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
  });

  afterAll(async () => {
    closeRelays();
    await hub.close();
    await new Promise((r) => busy.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('closes the message file opened for each hop that was down or refused the session', async () => {
    const file = join(dir, 'm.eml');
    writeFileSync(file, `Subject: hops\r\n\r\n${'a body line\r\n'.repeat(100_000)}`); // more than a stream buffers
    const down = { host: '127.0.0.1', port: await freePort() };
    const refusing = { host: '127.0.0.1', port: (busy.address() as { port: number }).port };
    const outcomes = await relay([down, refusing, { host: '127.0.0.1', port: hub.port }], 'a@example.org', ['b@acme.example'], () => createReadStream(file), { mode: 'smtp', timeout: 2 });
    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'delivered' })]);
    await new Promise((r) => setTimeout(r, 50)); // a destroyed stream closes its descriptor on the next tick
    expect(openOn(file)).toBe(0);
  });

  it('names every hop that failed, in order, when none took the message', async () => {
    const down = { host: '127.0.0.1', port: await freePort() };
    const refusing = { host: '127.0.0.1', port: (busy.address() as { port: number }).port };
    const outcomes = await relay([down, refusing], 'a@example.org', ['b@acme.example'], () => createReadStream(join(dir, 'm.eml')), { mode: 'smtp', timeout: 2 });
    expect(outcomes).toEqual([{
      address: 'b@acme.example', outcome: 'temporary',
      detail: expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${down.port}: connect ECONNREFUSED .*; 127\\.0\\.0\\.1:${refusing.port}: .*421 4\\.3\\.2 busy`)),
    }]);
  });

  it('finds the hop refusal of a recipient whose IDN domain it was sent as an A-label', async () => {
    writeFileSync(join(dir, 'idn.eml'), 'Subject: idn\r\n\r\nhello\r\n');
    hub.refuse.add('gone@bücher.example'); // smtp-server shows the hub an A-label as its U-label
    const hop = { host: '127.0.0.1', port: hub.port };
    const open = () => createReadStream(join(dir, 'idn.eml'));
    const some = await relay([hop], 'a@example.org', ['ok@acme.example', 'gone@bücher.example'], open, { mode: 'smtp', timeout: 2 });
    expect(some).toEqual([
      expect.objectContaining({ address: 'ok@acme.example', outcome: 'delivered' }),
      expect.objectContaining({ address: 'gone@bücher.example', outcome: 'permanent', detail: expect.stringMatching(/^550/) }),
    ]);
    const all = await relay([hop], 'a@example.org', ['gone@bücher.example'], open, { mode: 'smtp', timeout: 2 });
    expect(all).toEqual([expect.objectContaining({ address: 'gone@bücher.example', outcome: 'permanent', detail: expect.stringMatching(/^550/) })]);
  });
});
