/** dnsTimeout is the most one MX lookup waits, not c-ares' per-try timeout that doubles on the retry. */
import { createSocket, type Socket } from 'node:dgram';
import { mxHops } from '../src/delivery/mx-hops';

let silent: Socket;
beforeAll(async () => {
  silent = createSocket('udp4'); // takes queries, never answers
  await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
});
afterAll(() => silent.close());

it('gives up on a silent DNS server after dnsTimeout, as a temporary failure', async () => {
  const started = Date.now();
  const found = await mxHops('mx.test', { servers: [`127.0.0.1:${silent.address().port}`], dnsTimeout: 1 }, []);
  // c-ares alone waited 1 s, then 2 s for its retry.
  expect(Date.now() - started).toBeLessThan(2000);
  expect(found).toEqual({ failure: { outcome: 'temporary', status: '4.4.3', detail: 'mx.test: MX lookup failed (ETIMEOUT); will retry' } });
});
