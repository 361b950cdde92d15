import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spool, SpoolCorruption } from '../src/spool/spool';
import { releaseFromQuarantine } from '../src/spool/spool-admin';

jest.mock('node:fs', () => {
  const actual = jest.requireActual<typeof import('node:fs')>('node:fs');
  return { ...actual, renameSync: jest.fn(actual.renameSync) };
});

function spooled(spool: Spool, area: 'queue' | 'deferred', id: string): void {
  const eml = Buffer.from(`Subject: ${id}\r\n\r\nbody\r\n`);
  writeFileSync(spool.path(area, id, 'eml'), eml);
  spool.writeRecord(area, {
    id, createdAt: 1, client: { ip: '192.0.2.1', tls: false, authenticated: false }, sender: 'a@example.org',
    recipients: [{ address: 'b@acme.example', state: 'pending' }], effects: [], verdict: 'accept', fired: [],
    attempts: 1, nextAttempt: 1, size: eml.length, sha256: createHash('sha256').update(eml).digest('hex'),
  });
}

describe('a move between spool areas cut by a crash', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mw-move-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is finished when the dequeuer loads the record whose message went ahead', async () => {
    const spool = new Spool(dir);
    spooled(spool, 'queue', 'CUT');
    // moveDurably renames the message first: the crash came before the record followed it.
    renameSync(spool.path('queue', 'CUT', 'eml'), spool.path('deferred', 'CUT', 'eml'));
    const record = await spool.load('queue', 'CUT', true);
    expect(record).toMatchObject({ id: 'CUT' });
    expect(existsSync(spool.path('queue', 'CUT', 'eml'))).toBe(true);
    expect(existsSync(spool.path('deferred', 'CUT', 'eml'))).toBe(false);
  });

  it('still sends a record whose message is nowhere to corrupt/', async () => {
    const spool = new Spool(dir);
    spooled(spool, 'queue', 'GONE');
    rmSync(spool.path('queue', 'GONE', 'eml'));
    await expect(spool.load('queue', 'GONE', true)).rejects.toBeInstanceOf(SpoolCorruption);
    expect(existsSync(spool.path('corrupt', 'GONE', 'json'))).toBe(true);
  });
});

describe('a quarantine release cut by a crash', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mw-release-cut-'))));
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is finished when the dequeuer loads it from the queue', async () => {
    const spool = new Spool(dir);
    spooled(spool, 'queue', 'HELD');
    spool.move('HELD', 'queue', 'quarantine');
    const real = jest.requireActual<typeof import('node:fs')>('node:fs').renameSync;
    let renames = 0;
    jest.mocked(fs.renameSync).mockImplementation((from, to) => {
      if (/\/quarantine\/HELD\.(eml|json)$/.test(String(from)) && ++renames === 2) throw new Error('killed'); // between the release's two renames
      real(from, to);
    });
    expect(() => releaseFromQuarantine(spool, 'HELD', 'admin')).toThrow('killed');
    jest.mocked(fs.renameSync).mockImplementation(real);
    await expect(spool.load('queue', 'HELD', true)).resolves.toMatchObject({ id: 'HELD', releasedAt: expect.any(Number) });
    expect(['queue', 'quarantine'].map((area) => readdirSync(join(dir, area)).sort())).toEqual([['HELD.eml', 'HELD.json'], []]);
  });

  it('is no error when the dequeuer finishes it between the two renames', () => {
    const spool = new Spool(dir);
    spooled(spool, 'queue', 'RACE');
    spool.move('RACE', 'queue', 'quarantine');
    const real = jest.requireActual<typeof import('node:fs')>('node:fs').renameSync;
    jest.mocked(fs.renameSync).mockImplementation((from, to) => {
      // The scan saw the record in queue/ and moved the message itself, just before the release did.
      if (/\/quarantine\/RACE\.eml$/.test(String(from))) real(from, to);
      real(from, to);
    });
    expect(releaseFromQuarantine(spool, 'RACE', 'admin')).toMatchObject({ id: 'RACE' });
    jest.mocked(fs.renameSync).mockImplementation(real);
    expect(['queue', 'quarantine'].map((area) => readdirSync(join(dir, area)).sort())).toEqual([['RACE.eml', 'RACE.json'], []]);
  });
});
