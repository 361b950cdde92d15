/**
 * A clamd given more time (facts.clamd.timeoutMs: 30000) gets it: the 20 s every lookup had
 * cut a scan of 21 s short with a 451, whatever timeoutMs said, so big messages never passed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway } from '../src/index';

it('waits for a slow clamd as long as its timeoutMs says, past the 20 s default budget', async () => {
  // clamd at work: it answers 21 s after the end of the stream (the zero-length chunk).
  const clamd = createServer((c) => {
    c.on('error', () => undefined);
    let seen = Buffer.alloc(0);
    c.on('data', (d: Buffer) => {
      seen = Buffer.concat([seen, d]);
      if (seen.subarray(-4).equals(Buffer.alloc(4))) setTimeout(() => c.end('stream: OK\0'), 21_000);
    });
  });
  await new Promise<void>((r) => clamd.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(join(tmpdir(), 'mw-slow-clamd-'));
  writeFileSync(join(dir, 'policy.yaml'), [
    'version: 1', 'smtp: { greetPause: 0 }',
    'rcpt: { rules: [ { id: ours, do: [ accept ] } ] }',
    'data: { rules: [ { id: virus, when: { virus: true }, do: [ { quarantine: { reason: virus } } ] } ] }', '',
  ].join('\n'));
  const gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }], secret: 'slow-clamd-secret-01',
    delivery: { ...defaultConfig(dir).delivery, mode: 'maildir', maildir: join(dir, 'mail') },
    facts: { clamd: { endpoint: { host: '127.0.0.1', port: (clamd.address() as AddressInfo).port }, timeoutMs: 30_000 } },
  }, createLog('error', () => undefined, false));
  try {
    const info = await nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true, socketTimeout: 60_000 })
      .sendMail({ envelope: { from: 'a@example.org', to: ['b@acme.example'] }, raw: 'Subject: big\r\n\r\nscanned slowly\r\n' });
    expect(info.response).toMatch(/^250 /);
  } finally {
    await gw.stop(1000);
    await new Promise((r) => clamd.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
