/**
 * A client that cannot do TLS 1.2 is refused at the handshake (TLS 1.2 is the minimum), on an
 * implicit-TLS listener and after STARTTLS; the log says so as a warning with the reason, not as
 * an error-level listener failure in raw OpenSSL text.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { listenerErrorEvent } from '../src/listener-error';
import { eventually } from './hub-sink';

let dir: string;
let gw: RunningGateway;
const lines: Record<string, unknown>[] = [];
const OLD_TLS: ConnectionOptions = { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0', rejectUnauthorized: false };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-tls-log-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=gw.test'], { stdio: 'ignore' });
  writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
  const tls = { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem') };
  gw = await startGateway({ ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0', tls }, { listen: '127.0.0.1:0', secure: true, tls }] },
    createLog('info', (l) => lines.push(JSON.parse(l) as Record<string, unknown>), false));
});
afterAll(async () => {
  await gw?.stop(1000);
  rmSync(dir, { recursive: true, force: true });
});

/** A TLS 1.1 handshake over `socket`; resolves with the client's error code. */
const oldHandshake = (options: ConnectionOptions): Promise<string> => new Promise((resolve) => {
  const s = connectTls(options);
  s.once('secureConnect', () => resolve(`connected with ${s.getProtocol()}`));
  s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
});

it('refuses TLS 1.1 on the implicit-TLS listener, and logs a tls-failed warning naming the client', async () => {
  expect(await oldHandshake({ ...OLD_TLS, host: '127.0.0.1', port: gw.addresses[1]!.port })).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
  await eventually(() => lines.some((l) => l.event === 'tls-failed' && l.listen === '127.0.0.1:0'));
  expect(lines.find((l) => l.event === 'tls-failed')).toMatchObject({ level: 'warn', client: '127.0.0.1', reason: 'unsupported protocol', code: 'ERR_SSL_UNSUPPORTED_PROTOCOL' });
  expect(lines.filter((l) => l.level === 'error')).toEqual([]);
});

it('refuses TLS 1.1 after STARTTLS, and the warning names the client', async () => {
  const before = lines.filter((l) => l.event === 'tls-failed').length;
  const socket = connectTcp(gw.addresses[0]!.port, '127.0.0.1');
  let text = '';
  socket.on('data', (d) => (text += d));
  await eventually(() => /^220 /m.test(text));
  socket.write('EHLO client.test\r\n');
  await eventually(() => /^250 /m.test(text));
  socket.write('STARTTLS\r\n');
  await eventually(() => /^220 .*TLS/im.test(text));
  socket.removeAllListeners('data');
  expect(await oldHandshake({ ...OLD_TLS, socket })).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
  socket.destroy();
  await eventually(() => lines.filter((l) => l.event === 'tls-failed').length > before);
  await new Promise((r) => setTimeout(r, 200));
  // smtp-server hears of the one failure twice (the TLS socket's _tlsError, then its error): one line.
  expect(lines.filter((l) => l.event === 'tls-failed').length).toBe(before + 1);
  expect(lines.filter((l) => l.event === 'tls-failed').at(-1)).toMatchObject({ level: 'warn', client: '127.0.0.1', reason: 'unsupported protocol' });
  expect(lines.filter((l) => l.level === 'error')).toEqual([]);
});

it('keeps a listener\'s own failure an error', () => {
  const err = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:25'), { code: 'EADDRINUSE' });
  expect(listenerErrorEvent(err, '127.0.0.1:25')).toEqual({ level: 'error', fields: { event: 'listener-error', listen: '127.0.0.1:25', error: err.message } });
});
