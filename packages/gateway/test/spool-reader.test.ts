/**
 * `mailward spool list` beside a running gateway reads the spool while the dequeuer moves
 * messages (queue/ to deferred/: the message file first, then its record) and removes them
 * (the record first). Seen between two of those steps, a message is in motion, not damaged:
 * moved to corrupt/, its record was never delivered again (35 of 300 acknowledged messages,
 * with a hub down and the queue listed in a loop).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listEntries } from '../src/spool/spool-admin';
import { Spool, SpoolCorruption } from '../src/spool/spool';

jest.mock('node:fs/promises', () => {
  const actual = jest.requireActual<typeof import('node:fs/promises')>('node:fs/promises');
  return { ...actual, readFile: jest.fn(actual.readFile) };
});

function spooled(spool: Spool, id: string): void {
  const eml = Buffer.from(`Subject: ${id}\r\n\r\nbody\r\n`);
  writeFileSync(spool.path('queue', id, 'eml'), eml);
  spool.writeRecord('queue', {
    id, createdAt: 1, client: { ip: '192.0.2.1', tls: false, authenticated: false }, sender: 'a@example.org',
    recipients: [{ address: 'b@acme.example', state: 'pending' }], effects: [], verdict: 'accept', fired: [],
    attempts: 1, nextAttempt: 1, size: eml.length, sha256: createHash('sha256').update(eml).digest('hex'),
  });
}

let dir: string;
let spool: Spool;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mw-reader-'));
  spool = new Spool(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('leaves a message half-way from queue/ to deferred/ where it is, and lists it once it is there', () => {
  spooled(spool, 'MOVING');
  renameSync(spool.path('queue', 'MOVING', 'eml'), spool.path('deferred', 'MOVING', 'eml')); // the dequeuer's first rename
  expect(listEntries(spool, 'queue')).toEqual({ entries: [], damaged: [] });
  expect(readdirSync(join(dir, 'corrupt'))).toEqual([]);
  renameSync(spool.path('queue', 'MOVING', 'json'), spool.path('deferred', 'MOVING', 'json')); // and its second
  expect(listEntries(spool, 'deferred').entries.map((e) => e.id)).toEqual(['MOVING']);
});

it('takes a record gone since the listing for gone, not for unreadable', () => {
  expect(spool.read('queue', 'DELIVERED')).toBeUndefined();
  expect(readdirSync(join(dir, 'corrupt'))).toEqual([]);
});

it('still moves a record whose message is nowhere to corrupt/', () => {
  spooled(spool, 'LOST');
  rmSync(spool.path('queue', 'LOST', 'eml'));
  expect(() => spool.read('queue', 'LOST')).toThrow(SpoolCorruption);
  expect(existsSync(spool.path('corrupt', 'LOST', 'json'))).toBe(true);
});

it('takes a message deleted while the dequeuer loads it for gone, not for damaged', async () => {
  spooled(spool, 'DELETED');
  const actual = jest.requireActual<typeof import('node:fs/promises')>('node:fs/promises');
  // `mailward spool delete` right after the dequeuer read the record: record, then message, removed.
  jest.mocked(fsp.readFile).mockImplementationOnce(async (...args: Parameters<typeof actual.readFile>) => {
    const text = await actual.readFile(...args);
    spool.remove('queue', 'DELETED');
    return text;
  });
  await expect(spool.load('queue', 'DELETED', true)).resolves.toBeUndefined();
  expect(readdirSync(join(dir, 'corrupt'))).toEqual([]);
});
