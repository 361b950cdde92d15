/** Maildir delivery writes one durable .eml per recipient, and never waits for the disk on the event loop. */
import fs from 'node:fs';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { deliverToMaildir } from '../src/delivery/maildir';

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
