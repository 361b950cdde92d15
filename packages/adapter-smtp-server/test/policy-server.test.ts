import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { loadPolicy, type CompiledPolicy } from '@mailward/core';
import type { SMTPServer } from 'smtp-server';
import { createPolicyServer, memoryStore, type AcceptedMessage } from '../src/index';
import { openDialog } from './smtp-dialog';

const POLICY = `
version: 1
lists:
  our-domains: [acme.example]
  mailhubs: [10.0.0.10]
outbound: { clients: ["@mailhubs"] }
smtp:
  hideKeywords: [DSN, AUTH, 8BITMIME, SIZE]
  maxRecipients: 3
  maxSize: 20KB
  hardErrorLimit: 4
  requireHelo: true
  greetPause: 0
connect:
  rules:
    - id: blocked-client
      when: { client: 192.0.2.0/24 }
      do: [ { reject: { code: 554, status: 5.7.1, text: "Go away" } } ]
rcpt:
  rules:
    - id: ours
      when: { recipient: { domain: "@our-domains" } }
      do: [ accept ]
data:
  rules:
    - id: no-bat
      when: { part: { filename: "*.bat" } }
      do: [ strip ]
    - id: spam-word
      when: { header: { name: Subject, value: "*viagra*" } }
      do: [ { reject: { code: 550, status: 5.7.1, text: "Content refused" } } ]
`;

describe('createPolicyServer over loopback', () => {
  let server: SMTPServer;
  let port: number;
  const accepted: { message: AcceptedMessage; raw: Buffer }[] = [];
  const policy: CompiledPolicy = loadPolicy(POLICY, 'test.yaml');

  beforeAll(async () => {
    server = createPolicyServer({
      policy: () => policy,
      store: memoryStore(async (message, raw) => {
        accepted.push({ message, raw });
        return `Q${accepted.length}`;
      }),
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, tls: { rejectUnauthorized: false } });

  it('accepts our recipients and refuses others in the same transaction (anti-relay)', async () => {
    const info = await transport().sendMail({
      envelope: { from: 'a@example.org', to: ['bob@acme.example', 'x@elsewhere.example'] },
      raw: 'From: a@example.org\r\nTo: bob@acme.example\r\nSubject: hi\r\n\r\nhello\r\n',
    });
    expect(info.accepted).toEqual(['bob@acme.example']);
    expect(info.rejected).toEqual(['x@elsewhere.example']);
    expect(String((info as { rejectedErrors?: { response: string }[] }).rejectedErrors?.[0]?.response)).toMatch(/^550 5\.7\.1 Relaying denied/);
    expect(info.response).toMatch(/^250 .*queued as Q\d+/);
    expect(accepted.at(-1)!.message.recipients.map((r) => r.address)).toEqual(['bob@acme.example']);
  });

  it('hands the strip effect over with the accepted message', async () => {
    await transport().sendMail({
      envelope: { from: 'a@example.org', to: ['bob@acme.example'] },
      raw: ['From: a@example.org', 'To: bob@acme.example', 'Subject: file', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=B', '',
        '--B', 'Content-Type: text/plain', '', 'see', '--B', 'Content-Type: application/octet-stream; name="run.bat"', '', 'echo', '--B--', ''].join('\r\n'),
    });
    const m = accepted.at(-1)!.message;
    expect(m.decision.fired).toEqual(['no-bat']);
    expect(m.effects).toContainEqual(expect.objectContaining({ type: 'stripPart', part: expect.objectContaining({ filename: 'run.bat' }) }));
  });

  it('refuses content with the rule reply, and queues nothing', async () => {
    const before = accepted.length;
    await expect(transport().sendMail({ envelope: { from: 'a@example.org', to: ['bob@acme.example'] }, raw: 'Subject: cheap viagra\r\n\r\nx\r\n' }))
      .rejects.toMatchObject({ responseCode: 550, response: expect.stringMatching(/5\.7\.1 Content refused/) });
    expect(accepted.length).toBe(before);
  });

  it('does not offer hidden keywords, and refuses their parameters', async () => {
    const d = await openDialog(port);
    const ehlo = await d.send('EHLO client.example\r\n');
    expect(ehlo).not.toMatch(/DSN|AUTH|8BITMIME|SIZE/);
    expect(ehlo).not.toMatch(/VRFY|HELP/);
    expect(await d.send('MAIL FROM:<a@example.org> SIZE=100\r\n')).toMatch(/^555 5\.5\.4/);
    expect(await d.send('MAIL FROM:<a@example.org> BODY=8BITMIME\r\n')).toMatch(/^555/);
    expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^250/);
    expect(await d.send('RCPT TO:<bob@acme.example> NOTIFY=SUCCESS\r\n')).toMatch(/^5\d\d/);
    d.close();
    // A new session: three refusals are all this one may make before hardErrorLimit (4).
    const e = await openDialog(port);
    await e.send('EHLO client.example\r\n');
    expect(await e.send('VRFY bob\r\n')).toMatch(/^5\d\d/);
    expect(await e.send('AUTH PLAIN AGJvYgBzZWNyZXQ=\r\n')).toMatch(/^5\d\d/);
    e.close();
  });

  it('requires HELO, limits recipients (452), and hangs up at the hard error limit', async () => {
    const d = await openDialog(port);
    expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^503 /);
    await d.send('EHLO client.example\r\n');
    await d.send('MAIL FROM:<a@example.org>\r\n');
    for (const u of ['a', 'b', 'c']) expect(await d.send(`RCPT TO:<${u}@acme.example>\r\n`)).toMatch(/^250/);
    expect(await d.send('RCPT TO:<d@acme.example>\r\n')).toMatch(/^452 4\.5\.3/);
    expect(await d.send('RCPT TO:<x@elsewhere.example>\r\n')).toMatch(/^452/);
    // The 452s are no errors (the client is to send those recipients later); other refusals are.
    expect(await d.send('VRFY bob\r\n')).toMatch(/^500 /);
    expect(await d.send('FOO\r\n')).toMatch(/^500 /);
    // The fourth refusal (the 503 counts too) reaches hardErrorLimit: its own 500, then 421 and the connection is closed.
    expect(await d.send('BAR\r\n')).toMatch(/^500 /);
    expect(await d.reply()).toMatch(/^421 4\.7\.0/);
    await d.closed;
  });

  it('refuses an oversized message at MAIL SIZE= and at the end of DATA (552)', async () => {
    const big = `Subject: big\r\n\r\n${'x'.repeat(70).concat('\r\n').repeat(400)}`;
    await expect(transport().sendMail({ envelope: { from: 'a@example.org', to: ['bob@acme.example'] }, raw: big }))
      .rejects.toMatchObject({ responseCode: 552 });
  });

  const SMUGGLING = ['\n.\n', '\n.\r', '\r.\n', '\r.\r', '\n.\r\n', '\r.\r\n', '\r\n.\n', '\r\n.\r', '\r\n\x00.\r\n', '\r\n.\x00\r\n', '\r\n.\r\r\n', '\r\r\n.\r\r\n', '\n\n.\r\n'];

  it.each(SMUGGLING.map((s) => [JSON.stringify(s), s]))('refuses the smuggling sequence %s and never splits the message', async (_name, seq) => {
    const before = accepted.length;
    const d = await openDialog(port);
    await d.send('EHLO client.example\r\n');
    await d.send('MAIL FROM:<a@example.org>\r\n');
    await d.send('RCPT TO:<bob@acme.example>\r\n');
    expect(await d.send('DATA\r\n')).toMatch(/^354/);
    const smuggled = `Subject: outer\r\n\r\nhello${seq}MAIL FROM:<admin@acme.example>\r\nRCPT TO:<bob@acme.example>\r\nDATA\r\nSubject: smuggled\r\n\r\nowned\r\n.\r\n`;
    const reply = await d.send(smuggled);
    expect(reply).toMatch(/^550 5\.6\.0/);
    // Whatever the client sends next is a fresh command, not a second message.
    d.write('QUIT\r\n');
    await d.closed;
    expect(accepted.length).toBe(before);
  });

  it('refuses lines over 998 octets', async () => {
    await expect(transport().sendMail({ envelope: { from: 'a@example.org', to: ['bob@acme.example'] }, raw: `Subject: long\r\n\r\n${'y'.repeat(1200)}\r\n` }))
      .rejects.toMatchObject({ responseCode: 550 });
  });
});
