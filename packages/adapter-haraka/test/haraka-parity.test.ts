/**
 * Parity: the Firebox inbound example policy in a real Haraka gives, for every message of the
 * evasion corpus, the same verdicts and the same rewritten bytes as core's
 * analyze + runSession + rewrite (what `mailward eval --out` runs).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { analyze, loadPolicyFile, rewrite, runSession } from '@mailward/core';
import { collect } from '../src/message-content';
import { HarakaProcess, buildPlugin } from './support/haraka-process';
import { Sink } from './support/sink';
import { SmtpDialog } from './support/smtp-dialog';

const REPO = path.resolve(__dirname, '../../..');
const POLICY_FILE = path.join(REPO, 'examples/firebox-inbound/policy.yaml');
const CORPUS = path.join(REPO, 'packages/core/test/evasion');
const SECRET = 'parity-secret';
const SENDER = 'sender@example.org';
const RECIPIENT = 'al@acme.example';
const HELO = 'client.example.org';

function corpus(): string[] {
  if (!fs.existsSync(CORPUS)) return [];
  return (fs.readdirSync(CORPUS, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.eml'))
    .sort();
}

/**
 * SMTP carries CRLF lines only, and DATA ends with CRLF before the dot: bare LF become CRLF and
 * a last line gets its CRLF, as any submitting client sends them.
 */
function onTheWire(file: string): Buffer {
  return Buffer.from(crlfEnded(fs.readFileSync(file).toString('binary').replace(/\r?\n/g, '\r\n')), 'binary');
}

function crlfEnded(text: string): string {
  return text === '' || text.endsWith('\r\n') ? text : `${text}\r\n`;
}

/** The first header field (with its folded lines) of a message: Haraka's own Received. */
function firstField(raw: Buffer): Buffer {
  const text = raw.toString('binary');
  const m = /^[^\r\n]*\r\n(?:[ \t][^\r\n]*\r\n)*/.exec(text);
  return Buffer.from(m ? m[0] : '', 'binary');
}

const files = corpus();
let sink: Sink;
let haraka: HarakaProcess;
/** Where the plugin keeps what the policy quarantines (the example holds ambiguous MIME). */
let quarantineDir: string;
const quarantined = (): number => (fs.readdirSync(quarantineDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.eml')).length;

beforeAll(async () => {
  await buildPlugin();
  quarantineDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-parity-quarantine-'));
  sink = await Sink.start();
  haraka = await HarakaProcess.start({
    plugins: ['mailward', 'queue/smtp_forward'],
    mailwardYaml: `policy: ${POLICY_FILE}\nsecret: ${SECRET}\nquarantine: { dir: ${quarantineDir} }\n`,
    sinkPort: sink.port,
    // Haraka folds DATA lines over 992 bytes by default, which the gateway does not: off here.
    // Haraka keeps only the first 1000 header lines (headers.max_lines) of what it relays: raised too.
    connectionIni: (ini) =>
      ini.replace(/^data_line_length=\d+/m, 'data_line_length=10485760').replace(/^max_lines=\d+/m, 'max_lines=100000'),
  });
}, 120_000);

afterAll(async () => {
  await haraka?.stop();
  await sink?.stop();
  fs.rmSync(quarantineDir, { recursive: true, force: true });
});

it('has an evasion corpus to compare over', () => {
  expect(files.length).toBeGreaterThan(0);
});

it.each(files.map((f) => [f]))('%s: same verdict and bytes as core', async (name) => {
  const wire = onTheWire(path.join(CORPUS, name));
  const { dialog } = await SmtpDialog.open(haraka.port);
  await dialog.command(`EHLO ${HELO}`);
  expect((await dialog.command(`MAIL FROM:<${SENDER}>`)).code).toBe(250);
  const rcpt = await dialog.command(`RCPT TO:<${RECIPIENT}>`);
  expect(rcpt.code).toBe(250);
  const seen = sink.messages.length;
  const held = quarantined();
  const { end } = await dialog.data(wire);
  await dialog.close();

  const policy = loadPolicyFile(POLICY_FILE);
  if (end!.code === 250 && quarantined() > held) {
    // Held by Haraka, not delivered: core must quarantine the same message.
    const model = await analyze(Readable.from([wire]));
    const result = runSession(policy, { client: { ip: '127.0.0.1', tls: false, authenticated: false }, helo: HELO, sender: SENDER, recipients: [RECIPIENT], message: model }, {});
    expect(result.verdict).toBe('quarantine');
    expect(sink.messages.length).toBe(seen);
    return;
  }
  if (end!.code !== 250) {
    // Refused by Haraka: core must refuse the same message (as Haraka saw it) the same way.
    const model = await analyze(Readable.from([wire]));
    const result = runSession(policy, { client: { ip: '127.0.0.1', tls: false, authenticated: false }, helo: HELO, sender: SENDER, recipients: [RECIPIENT], message: model }, {});
    expect({ code: end!.code, verdict: result.verdict }).toEqual({ code: result.reply.code, verdict: result.verdict });
    return;
  }
  const delivered = (await sink.waitFor(seen + 1))[seen]!.raw;
  // Core sees what Haraka's plugin saw: Haraka's Received field, then the message.
  const asReceived = Buffer.concat([firstField(delivered), wire]);
  const model = await analyze(Readable.from([asReceived]));
  const result = runSession(
    policy,
    { client: { ip: '127.0.0.1', tls: false, authenticated: false }, helo: HELO, sender: SENDER, recipients: [RECIPIENT], message: model },
    {},
  );
  expect(result.verdict).toBe('accept'); // what core holds or drops, Haraka must not deliver
  const expected = await collect(rewrite(Readable.from([asReceived]), result.effects, { secret: SECRET }));
  // Over SMTP a message that does not end with CRLF gets one before the final dot.
  expect(delivered.toString('binary')).toBe(crlfEnded(expected.toString('binary')));
});
