import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { DEFAULT_MAX_SIZE } from '../src/policy-source';
import { openDialog } from '../../adapter-smtp-server/test/smtp-dialog';
import { startHub, type HubSink } from './hub-sink';

// A policy that sets no smtp.maxSize: the gateway still bounds what one client can spool.
const POLICY = `
version: 1
smtp: { greetPause: 0 }
rcpt:
  rules:
    - id: ours
      when: { recipient: { domain: acme.example } }
      do: [ accept ]
`;

describe('a policy without smtp.maxSize', () => {
  let dir: string;
  let hub: HubSink;
  let gw: RunningGateway;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-size-'));
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    hub = await startHub();
    gw = await startGateway({
      ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
      delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`], timeout: 5 }, secret: 'a-test-secret-of-some-length',
    }, createLog('error', () => undefined, false));
  });
  afterAll(async () => {
    await gw.stop(1000);
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('announces and enforces the default limit of 10 MB', async () => {
    const dialog = await openDialog(gw.addresses[0]!.port);
    expect(await dialog.send('EHLO client.example\r\n')).toMatch(new RegExp(`^250[- ]SIZE ${DEFAULT_MAX_SIZE}\\r?$`, 'm'));
    dialog.close();
    const body = `${'x'.repeat(76)}\r\n`.repeat(Math.ceil(DEFAULT_MAX_SIZE / 78) + 10);
    const send = nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
      .sendMail({ envelope: { from: 'a@example.org', to: ['bob@acme.example'] }, raw: `Subject: big\r\n\r\n${body}` });
    await expect(send).rejects.toMatchObject({ responseCode: 552 });
    expect(gw.spool.pending()).toHaveLength(0);
  });
});
