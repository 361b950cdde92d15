/** Maildir delivery writes one durable .eml per recipient, and never waits for the disk on the event loop. */
import fs from 'node:fs';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { deliverToMaildir, folderOf } from '../src/delivery/maildir';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mw-maildir-'))));
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

it('writes <id>.eml for each recipient with no synchronous fsync, and lets the event loop run between them', async () => {
  const fsyncSync = jest.spyOn(fs, 'fsyncSync');
  const recipients = Array.from({ length: 5 }, (_, i) => `user${i}@acme.example`);
  let turns = 0;
  const ticker = setInterval(() => turns++, 0);
  try {
    const outcomes = await deliverToMaildir(dir, 'Q1', recipients, () => Readable.from([Buffer.from('Subject: s\r\n\r\nbody\r\n')]));
    expect(outcomes).toEqual(recipients.map((address) => ({ address, outcome: 'delivered' })));
  } finally {
    clearInterval(ticker);
  }
  expect(fsyncSync).not.toHaveBeenCalled();
  expect(turns).toBeGreaterThan(0);
  for (const r of recipients) {
    expect(readdirSync(join(dir, r))).toEqual(['Q1.eml']);
    expect(readFileSync(join(dir, r, 'Q1.eml'), 'utf8')).toBe('Subject: s\r\n\r\nbody\r\n');
  }
});

it('answers a recipient it cannot write for as a temporary failure and still delivers the others', async () => {
  // A folder that cannot be made (a file in its place, a full or read-only disk, a user that may
  // not write there) threw out of the attempt: no attempt counted, no backoff, the others
  // written again at every scan, and never a bounce at abandonTime.
  fs.writeFileSync(join(dir, 'x@acme.example'), '');
  const outcomes = await deliverToMaildir(dir, 'Q2', ['y@acme.example', 'x@acme.example', 'z@acme.example'], () => Readable.from([Buffer.from('Subject: s\r\n\r\nbody\r\n')]));
  expect(outcomes).toEqual([
    { address: 'y@acme.example', outcome: 'delivered' },
    { address: 'x@acme.example', outcome: 'temporary', detail: expect.stringMatching(/^mail folder .*x@acme\.example: EEXIST/) },
    { address: 'z@acme.example', outcome: 'delivered' },
  ]);
  expect(readdirSync(join(dir, 'z@acme.example'))).toEqual(['Q2.eml']);
});

it('answers every recipient temporary when the message cannot be read', async () => {
  const broken = (): Readable => new Readable({ read() { this.destroy(new Error('EIO: i/o error, read')); } });
  const outcomes = await deliverToMaildir(dir, 'Q3', ['a@acme.example', 'b@acme.example'], broken);
  expect(outcomes).toEqual(['a@acme.example', 'b@acme.example'].map((address) => ({ address, outcome: 'temporary', detail: 'cannot read the message: EIO: i/o error, read' })));
});

it('gives every mailbox a folder of its own: other characters as %XX of their UTF-8, never a shared _', async () => {
  const recipients = [`${'ü'.repeat(90)}@acme.example`, 'müller@acme.example', 'm_ller@acme.example', 'm/ller@acme.example', 'm%2Fller@acme.example', '..@acme.example', '%2E.@acme.example'];
  const folders = recipients.map(folderOf);
  expect(folders.slice(1)).toEqual(['m%C3%BCller@acme.example', 'm_ller@acme.example', 'm%2Fller@acme.example', 'm%252fller@acme.example', '%2E.@acme.example', '%252e.@acme.example']);
  expect(folderOf('Bob@ACME.example')).toBe('bob@acme.example'); // one mailbox, however it is written
  expect(folderOf('\u212Aelly@acme.example')).toBe('%E2%84%AAelly@acme.example'); // the Kelvin sign is no k
  const long = `${'ü'.repeat(90)}@acme.example`;
  expect(folderOf(long).length).toBeLessThanOrEqual(200);
  expect(folderOf(long)).not.toBe(folderOf(`${'ü'.repeat(89)}ö@acme.example`));
  const outcomes = await deliverToMaildir(dir, 'Q5', recipients, () => Readable.from([Buffer.from('Subject: s\r\n\r\nbody\r\n')]));
  expect(outcomes.every((o) => o.outcome === 'delivered')).toBe(true);
  expect(readdirSync(dir).sort()).toEqual([...folders].sort());
  for (const f of folders) expect(readdirSync(join(dir, f))).toEqual(['Q5.eml']);
});
