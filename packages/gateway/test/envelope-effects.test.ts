import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { eventually, startHub, type HubSink } from './hub-sink';

// bcc and `rewrite: sender` are mail+ actions: at rcpt they act on the message as at mail.
const POLICY = `
version: 1
smtp: { greetPause: 0 }
mail:
  rules:
    - id: journal
      when: { sender: "*@example.net" }
      do: [ { bcc: journal@acme.example } ]
rcpt:
  rules:
    - id: archive-sales
      when: { recipient: sales@acme.example }
      do: [ { bcc: archive@acme.example }, { rewrite: { sender: { match: "*@example.net", to: "&@relay.example.net" } } }, accept ]
    - id: ours
      when: { recipient: { domain: acme.example } }
      do: [ accept ]
`;

describe('envelope effects of rcpt rules in the gateway', () => {
  let dir: string;
  let hub: HubSink;
  let gw: RunningGateway;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-envfx-'));
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    hub = await startHub();
    gw = await startGateway({
      ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
      delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`], timeout: 5 },
      queue: { scanPeriod: 100, resendPeriod: 200, abandonTime: 60_000, maxBackoff: 1000 },
      secret: 'a-test-secret-of-some-length',
    }, createLog('error', () => undefined, false));
  });
  afterAll(async () => {
    await gw.stop(1000);
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds the bcc of a rcpt rule and rewrites the sender it names, beside the bcc of a mail rule', async () => {
    await nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
      .sendMail({ envelope: { from: 'al@example.net', to: ['sales@acme.example', 'bob@acme.example'] }, raw: 'Subject: order\r\n\r\nhello\r\n' });
    await eventually(() => hub.received.length === 1);
    expect(hub.received[0]!.from).toBe('al@relay.example.net');
    expect([...hub.received[0]!.to].sort()).toEqual(['archive@acme.example', 'bob@acme.example', 'journal@acme.example', 'sales@acme.example']);
  });
});
