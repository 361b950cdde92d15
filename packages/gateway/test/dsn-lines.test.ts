/**
 * No line of a DSN is over 998 octets, and none the gateway writes is over 78 where the words
 * allow (trial: a hub's 550 of several continuation lines, or of one very long line, went into
 * Diagnostic-Code and the readable part unfolded, and strict readers refused the DSN, RFC 5322
 * 2.1.1). Diagnostic-Code is folded at white space; a word no line can hold is cut; the readable
 * part keeps each reply line and goes quoted-printable when a word is longer than a line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { foldField, quotedPrintable } from '../src/delivery/dsn-lines';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { eventually, startHub, type HubSink } from './hub-sink';
import { dsnParts, fromQuotedPrintable, unfolded } from './support/dsn-parts';
import { startReplyHub, type ReplyHub } from './support/reply-hub';

let dir: string;
let gw: RunningGateway;
let home: HubSink; // the sender's: gets the bounces
let far: ReplyHub; // refuses with the replies below

const MULTI = [
  '550-5.1.1 The email account that you tried to reach does not exist. Please try',
  "550-5.1.1 double-checking the recipient's email address for typos or",
  '550-5.1.1 unnecessary spaces. For more information, go to',
  '550 5.1.1  https://support.example/mail/?p=NoSuchUser a1-20020a05',
];
const WORDS = `550 5.7.1 ${Array.from({ length: 150 }, (_, i) => `word${i}`).join(' ')} end`; // ~1300 octets, one line
const TOKEN = 'x'.repeat(1200);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-dsn-lines-'));
  home = await startHub();
  far = await startReplyHub();
  far.replies.set('multi@far.example', MULTI);
  far.replies.set('words@far.example', [WORDS]);
  far.replies.set('token@far.example', [`550 5.7.1 refused ${TOKEN} here`]);
  writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${home.port}`], routes: { 'far.example': [`127.0.0.1:${far.port}`] }, timeout: 5 },
    queue: { scanPeriod: 50, resendPeriod: 60_000, abandonTime: 60_000, maxBackoff: 60_000 },
  }, createLog('error', () => undefined, false));
});
afterAll(async () => {
  await gw?.stop(1000);
  await home?.close();
  await far?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The DSN the sender's hub got for `recipient`, as bytes. */
async function bounceFor(recipient: string): Promise<Buffer> {
  await nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
    .sendMail({ envelope: { from: 'penny@example.org', to: [recipient] }, raw: 'Subject: hello\r\n\r\nhello\r\n' });
  const mine = (): { data: string } | undefined => home.received.find((r) => r.from === '' && r.data.includes(`; ${recipient}\r\n`));
  await eventually(() => mine() !== undefined);
  return Buffer.from(mine()!.data, 'utf8');
}

const longest = (dsn: Buffer): number => Math.max(...dsn.toString('latin1').split('\r\n').map((l) => l.length));

async function partsOf(dsn: Buffer): Promise<{ readable: string; encoding: string; status: string }> {
  const parts = await dsnParts(dsn);
  const text = parts.find((p) => p.type === 'text/plain')!;
  const readable = (text.encoding === 'quoted-printable' ? fromQuotedPrintable(text.body) : text.body).toString('utf8');
  return { readable, encoding: text.encoding, status: parts.find((p) => p.type === 'message/delivery-status')!.body.toString('latin1') };
}

it('folds a reply of several lines within 78 octets, joined with spaces, and keeps its lines in the readable part', async () => {
  const dsn = await bounceFor('multi@far.example');
  expect(longest(dsn)).toBeLessThanOrEqual(78);
  const { readable, encoding, status } = await partsOf(dsn);
  expect(encoding).toBe('7bit'); // wrapped: nothing to encode
  expect(unfolded(status, 'Diagnostic-Code')).toBe(`smtp; ${MULTI.join(' ').replace(/\s+/g, ' ')}`);
  for (const line of MULTI) expect(readable.replace(/\r\n {4,}/g, ' ')).toContain(line.replace(/\s+/g, ' '));
  expect(readable).toMatch(/\r\n {6}550-5\.1\.1 double-checking/);
});

it('folds one very long reply line within 78 octets', async () => {
  const dsn = await bounceFor('words@far.example');
  expect(longest(dsn)).toBeLessThanOrEqual(78);
  const { readable, status } = await partsOf(dsn);
  expect(unfolded(status, 'Diagnostic-Code')).toBe(`smtp; ${WORDS}`);
  expect(readable.replace(/\r\n +/g, ' ')).toContain(`<words@far.example>: ${WORDS}`);
});

it('keeps a word longer than any line within 998 octets: cut in Diagnostic-Code, whole in a quoted-printable readable part', async () => {
  const dsn = await bounceFor('token@far.example');
  expect(longest(dsn)).toBeLessThanOrEqual(998);
  const { readable, encoding, status } = await partsOf(dsn);
  expect(encoding).toBe('quoted-printable');
  const diagnostic = unfolded(status, 'Diagnostic-Code')!;
  expect(diagnostic.startsWith('smtp; 550 5.7.1 refused x')).toBe(true);
  expect(diagnostic.replace(/ /g, '')).toBe(`smtp;5505.7.1refused${TOKEN}here`);
  expect(readable.replace(/\r\n +/g, ' ')).toContain(`<token@far.example>: 550 5.7.1 refused ${TOKEN} here`); // whole, on a line of its own
});

describe('the line rules alone', () => {
  it('cuts a word no line can hold between characters, never inside a UTF-8 one', () => {
    const field = foldField('Diagnostic-Code', `smtp; 550 ${'ü'.repeat(700)}`);
    const lines = field.split('\r\n');
    expect(lines.every((l) => Buffer.byteLength(l) <= 998)).toBe(true);
    expect(lines.length).toBeGreaterThan(2);
    expect(Buffer.from(field).toString('utf8')).not.toContain('\ufffd');
    expect(field.replace(/\r\n /g, '')).toBe(`Diagnostic-Code: smtp; 550${'ü'.repeat(700)}`);
  });

  it('writes quoted-printable lines of at most 76 characters that read back as the text', () => {
    const text = `a line with = and trailing space \r\n${'é'.repeat(100)}\r\n${'y'.repeat(300)}`;
    const qp = quotedPrintable(text);
    expect(qp.split('\r\n').every((l) => l.length <= 76)).toBe(true);
    expect(/[^\x00-\x7f]/.test(qp)).toBe(false);
    expect(qp).toContain('space=20\r\n'); // white space at a line's end is encoded
    expect(fromQuotedPrintable(Buffer.from(qp)).toString('utf8')).toBe(text);
  });
});
