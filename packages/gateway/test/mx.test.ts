/**
 * MX delivery against a real DNS server on loopback (the facts tests' responder) and real
 * smtp-server sinks: preference order, failover, the implicit MX, bounces for domains without
 * mail hosts, a DNS timeout, and an MX that is the gateway itself; address literals, delivered
 * to their address without DNS (RFC 5321 5.1).
 */
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { startDns } from '../../facts/test/dns-server';
import { createLog, loadGatewayConfig, startGateway, type RunningGateway } from '../src/index';
import { freePort } from './free-port';
import { eventually, startHub, type HubSink } from './hub-sink';

const POLICY = 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n';

let dir: string;
let dns: { server: string; close(): Promise<void> };
let silent: Socket;
let sink: HubSink;
let bounces: HubSink;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-mx-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  sink = await startHub();
  bounces = await startHub();
  dns = await startDns({
    mx: {
      'mx.test': ['20 mx2.mx.test', '10 mx1.mx.test'],
      'failover.test': ['10 down.failover.test', '20 up.failover.test'],
      'nomail.test': ['0 .'],
      'loop.test': ['10 self.loop.test', '20 other.loop.test'],
      'secondary.test': ['5 primary.secondary.test', '10 self.loop.test'],
    },
    a: {
      'mx1.mx.test': ['127.0.0.1'], 'mx2.mx.test': ['127.0.0.1'],
      'down.failover.test': ['127.0.0.2'], 'up.failover.test': ['127.0.0.1'],
      'bare.test': ['127.0.0.1'], 'empty.test': [],
      'self.loop.test': ['127.0.0.1'], 'other.loop.test': ['127.0.0.3'], 'primary.secondary.test': ['127.0.0.2'],
    },
  });
  // A DNS server that never answers.
  silent = createSocket('udp4');
  await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(async () => {
  // Whatever beforeAll got to start is stopped, even when it failed half-way.
  await sink?.close();
  await bounces?.close();
  await dns?.close();
  if (silent) await new Promise<void>((r) => silent.close(() => r()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A gateway from a gateway.yaml delivering by MX (bounces to acme.example go to `bounces` by a route). */
async function gateway(mx: string, listen = '127.0.0.1:0', policy = 'policy.yaml'): Promise<{ gw: RunningGateway; log: string[] }> {
  writeFileSync(join(dir, 'gateway.yaml'), [
    `policy: ${policy}`, 'hostname: gw.test', 'secret: mx-test-secret-1234', `spool: spool-${Date.now()}`,
    `listeners: [{ listen: "${listen}" }]`,
    `delivery: { mode: smtp, timeout: 5, routes: { acme.example: ["127.0.0.1:${bounces.port}"] }, mx: { ${mx} } }`,
    'queue: { scanPeriod: 0.1, resendPeriod: 600, abandonTime: 86400, maxBackoff: 600 }', '',
  ].join('\n'));
  const log: string[] = [];
  const gw = await startGateway(loadGatewayConfig(join(dir, 'gateway.yaml')), createLog('info', (l) => log.push(l), false));
  cleanups.push(() => gw.stop(1000));
  return { gw, log };
}

async function send(gw: RunningGateway, to: string[], subject: string): Promise<string> {
  const info = await nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
    .sendMail({ envelope: { from: 'penny@acme.example', to }, raw: `Subject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@acme.example>\r\n\r\nhello\r\n` });
  return /queued as (\w+)/.exec(info.response)![1]!;
}

const deliveries = (log: string[]) => log.filter((l) => l.includes('"event":"delivery"')).map((l) => JSON.parse(l) as { recipient: string; outcome: string; detail: string });

describe('delivery to MX hosts', () => {
  it('delivers to the most preferred MX, to the next one when it is down, and to the address of a domain without MX', async () => {
    const { gw, log } = await gateway(`port: ${sink.port}, servers: ["${dns.server}"]`);
    const before = sink.received.length;
    await send(gw, ['bob@mx.test'], 'by mx');
    await send(gw, ['carol@failover.test'], 'failover');
    await send(gw, ['dan@bare.test'], 'implicit mx');
    await eventually(() => sink.received.length === before + 3);
    expect(sink.received.slice(before).map((m) => m.to[0]).sort()).toEqual(['bob@mx.test', 'carol@failover.test', 'dan@bare.test']);
    await eventually(() => deliveries(log).length === 3);
    const by = Object.fromEntries(deliveries(log).map((d) => [d.recipient, d]));
    expect(by['bob@mx.test']).toMatchObject({ outcome: 'delivered', detail: expect.stringMatching(new RegExp(`^mx1\\.mx\\.test\\[127\\.0\\.0\\.1\\]:${sink.port} 250`)) });
    expect(by['carol@failover.test']).toMatchObject({ outcome: 'delivered', detail: expect.stringMatching(/^up\.failover\.test\[127\.0\.0\.1\]/) });
    expect(by['dan@bare.test']).toMatchObject({ outcome: 'delivered', detail: expect.stringMatching(/^bare\.test\[127\.0\.0\.1\]/) });
  });

  it('bounces recipients whose domain has no mail host: one DSN with 5.1.2 and 5.1.10', async () => {
    const { gw } = await gateway(`port: ${sink.port}, servers: ["${dns.server}"]`);
    const before = bounces.received.length;
    await send(gw, ['x@nowhere.test', 'y@empty.test', 'z@nomail.test'], 'no mail host');
    await eventually(() => bounces.received.length === before + 1);
    const dsn = bounces.received.at(-1)!;
    expect(dsn).toMatchObject({ from: '', to: ['penny@acme.example'] });
    expect(dsn.data).toMatch(/Final-Recipient: rfc822; x@nowhere\.test\r\nAction: failed\r\nStatus: 5\.1\.2\r\nDiagnostic-Code: X-Mailward; nowhere\.test: no such domain/);
    expect(dsn.data).toMatch(/Final-Recipient: rfc822; y@empty\.test\r\nAction: failed\r\nStatus: 5\.1\.2\r\nDiagnostic-Code: X-Mailward; empty\.test: no MX and no address record/);
    expect(dsn.data).toMatch(/Final-Recipient: rfc822; z@nomail\.test\r\nAction: failed\r\nStatus: 5\.1\.10\r\nDiagnostic-Code: X-Mailward; nomail\.test: the domain accepts no mail \(null MX/);
    await eventually(() => gw.spool.pending().length === 0);
  });

  it('defers when the DNS server does not answer (4xx: retried later)', async () => {
    const { gw } = await gateway(`port: ${sink.port}, servers: ["127.0.0.1:${silent.address().port}"], dnsTimeout: 0.2`);
    const id = await send(gw, ['bob@mx.test'], 'dns timeout');
    await eventually(() => gw.spool.whereQueued(id) === 'deferred', 15_000);
    const record = gw.spool.read('deferred', id)!;
    expect(record.recipients).toEqual([expect.objectContaining({ state: 'pending' })]);
    expect(record.lastError).toMatch(/^mx\.test: MX lookup failed \(ETIMEOUT\); will retry/);
  });

  it('does not use an MX that is this gateway, nor any less preferred than it (RFC 5321 5.1)', async () => {
    // The gateway listens on 127.0.0.1:P and MX hosts are reached on port P: self.loop.test is us.
    const port = await freePort();
    const primary = await startHub(port, '127.0.0.2');
    cleanups.push(() => primary.close());
    const { gw } = await gateway(`port: ${port}, servers: ["${dns.server}"]`, `127.0.0.1:${port}`);
    const before = bounces.received.length;
    await send(gw, ['a@loop.test', 'b@secondary.test'], 'loop');
    await eventually(() => primary.received.length === 1 && bounces.received.length === before + 1);
    expect(primary.received[0]!.to).toEqual(['b@secondary.test']);
    const dsn = bounces.received.at(-1)!.data;
    expect(dsn).toMatch(/Final-Recipient: rfc822; a@loop\.test\r\nAction: failed\r\nStatus: 5\.4\.6\r\nDiagnostic-Code: X-Mailward; loop\.test: MX self\.loop\.test is this gateway/);
    expect(dsn).not.toMatch(/b@secondary\.test/);
  });
});

describe('delivery to address literals', () => {
  it('delivers user@[IPv4] and user@[IPv6:...] to that address, not to an MX lookup of the literal', async () => {
    const v6 = await startHub(sink.port, '::1');
    cleanups.push(() => v6.close());
    const { gw, log } = await gateway(`port: ${sink.port}, servers: ["${dns.server}"]`);
    const before = sink.received.length;
    await send(gw, ['a@[127.0.0.1]', 'b@[IPv6:::1]'], 'literals');
    await eventually(() => sink.received.length === before + 1 && v6.received.length === 1);
    expect(sink.received.at(-1)!.to).toEqual(['a@[127.0.0.1]']);
    expect(v6.received[0]!.to).toEqual(['b@[IPv6:::1]']);
    await eventually(() => deliveries(log).length === 2);
    const by = Object.fromEntries(deliveries(log).map((d) => [d.recipient, d]));
    expect(by['a@[127.0.0.1]']).toMatchObject({ outcome: 'delivered', detail: expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${sink.port} 250`)) });
    expect(by['b@[IPv6:::1]']).toMatchObject({ outcome: 'delivered', detail: expect.stringMatching(new RegExp(`^::1:${sink.port} 250`)) });
  });

  it('bounces a recipient whose literal is invalid (smtp-server refuses those at RCPT; a rewrite can make one) with the reason', async () => {
    // A rewrite an admin got wrong: every legacy.test recipient to an address no host has.
    writeFileSync(join(dir, 'rewrite.yaml'), [
      'version: 1', 'smtp: { greetPause: 0 }', 'rcpt:', '  rules:',
      '    - id: v4', '      when: { recipient: { domain: v4.legacy.test } }', '      do: [ accept, { rewrite: { recipient: { match: "*@v4.legacy.test", to: "&@[999.0.0.1]" } } } ]',
      '    - id: v6', '      when: { recipient: { domain: v6.legacy.test } }', '      do: [ accept, { rewrite: { recipient: { match: "*@v6.legacy.test", to: "&@[IPv6:not-an-address]" } } } ]',
      '    - id: tag', '      when: { recipient: { domain: x400.legacy.test } }', '      do: [ accept, { rewrite: { recipient: { match: "*@x400.legacy.test", to: "&@[x400:c=fr]" } } } ]', '',
    ].join('\n'));
    const { gw } = await gateway(`port: ${sink.port}, servers: ["${dns.server}"]`, '127.0.0.1:0', 'rewrite.yaml');
    const before = bounces.received.length;
    await send(gw, ['c@v4.legacy.test', 'd@v6.legacy.test', 'e@x400.legacy.test'], 'bad literals');
    await eventually(() => bounces.received.length === before + 1);
    const dsn = bounces.received.at(-1)!.data.replace(/\r\n[ \t]+/g, ' '); // Diagnostic-Code unfolded (it is folded within 78 octets)
    expect(dsn).toMatch(/Final-Recipient: rfc822; c@\[999\.0\.0\.1\]\r\nAction: failed\r\nStatus: 5\.1\.3\r\nDiagnostic-Code: X-Mailward; \[999\.0\.0\.1\]: not a valid address literal: "999\.0\.0\.1" is not an IPv4 address/);
    expect(dsn).toMatch(/Final-Recipient: rfc822; d@\[IPv6:not-an-address\]\r\nAction: failed\r\nStatus: 5\.1\.3\r\nDiagnostic-Code: X-Mailward; \[ipv6:not-an-address\]: not a valid address literal: "not-an-address" is not an IPv6 address/);
    expect(dsn).toMatch(/Final-Recipient: rfc822; e@\[x400:c=fr\]\r\nAction: failed\r\nStatus: 5\.1\.3\r\nDiagnostic-Code: X-Mailward; \[x400:c=fr\]: not a valid address literal: "x400" is not an address type we can deliver to/);
    await eventually(() => gw.spool.pending().length === 0);
  });

  it('does not deliver to a literal that is this gateway, nor to its IPv4-mapped form', async () => {
    const port = await freePort();
    const { gw } = await gateway(`port: ${port}, servers: ["${dns.server}"]`, `127.0.0.1:${port}`);
    const before = bounces.received.length;
    await send(gw, ['a@[127.0.0.1]', 'b@[IPv6:::ffff:127.0.0.1]'], 'literal loop');
    await eventually(() => bounces.received.length === before + 1);
    const dsn = bounces.received.at(-1)!.data;
    expect(dsn).toMatch(/Final-Recipient: rfc822; a@\[127\.0\.0\.1\]\r\nAction: failed\r\nStatus: 5\.4\.6\r\nDiagnostic-Code: X-Mailward; \[127\.0\.0\.1\]: the address is this gateway/);
    expect(dsn).toMatch(/Final-Recipient: rfc822; b@\[IPv6:::ffff:127\.0\.0\.1\]\r\nAction: failed\r\nStatus: 5\.4\.6\r\n/);
  });
});
