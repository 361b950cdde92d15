/**
 * What a crash leaves in a spool is cleared when the gateway starts: tmp/, `*.part` files of
 * record writes cut before their rename, and message files no record names. Messages that still
 * have their record anywhere are kept whole, a move cut half-way included.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLog, loadGatewayConfig, startGateway, type RunningGateway } from '../src/index';
import { Spool, type SpoolArea } from '../src/spool/spool';

const POLICY = 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n';
/** Not due before the test ends: the dequeuer leaves every planted message where it is. */
const LATER = Date.now() + 86_400_000;

let dir: string;
let gw: RunningGateway | undefined;

function spooled(spool: Spool, area: SpoolArea, id: string): void {
  const eml = Buffer.from(`Subject: ${id}\r\n\r\nbody\r\n`);
  writeFileSync(spool.path(area, id, 'eml'), eml);
  spool.writeRecord(area, {
    id, createdAt: Date.now(), client: { ip: '192.0.2.1', tls: false, authenticated: false }, sender: 'a@example.org',
    recipients: [{ address: 'b@acme.example', state: 'pending' }], effects: [], verdict: 'accept', fired: [],
    attempts: 1, nextAttempt: LATER, size: eml.length, sha256: createHash('sha256').update(eml).digest('hex'),
  });
}

const torn = (path: string): void => writeFileSync(path, '{\n "id": "torn", "recipients": [');

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mw-leftovers-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  writeFileSync(join(dir, 'gateway.yaml'), [
    'policy: policy.yaml', 'hostname: gw.test', 'secret: leftovers-test-secret', 'spool: spool',
    'listeners: [{ listen: "127.0.0.1:0" }]', 'delivery: { mode: maildir, maildir: mail }', 'queue: { scanPeriod: 0.05 }', '',
  ].join('\n'));
});
afterEach(async () => {
  await gw?.stop(1000);
  gw = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('start-up in a spool a crash left behind', () => {
  it('removes tmp/, *.part files and message files without a record, and keeps every message that has one', async () => {
    const spool = new Spool(join(dir, 'spool'));
    // Records being rewritten (a retry's new nextAttempt, a release) when the crash came.
    spooled(spool, 'queue', 'WHOLE');
    torn(`${spool.path('queue', 'WHOLE', 'json')}.part`);
    spooled(spool, 'quarantine', 'HELD');
    torn(`${spool.path('quarantine', 'HELD', 'json')}.part`);
    torn(`${spool.path('deferred', 'GONE', 'json')}.part`);
    torn(`${spool.path('corrupt', 'BAD', 'json')}.part`);
    spooled(spool, 'corrupt', 'LOOK');
    // A commit cut between its renames (its record was still in tmp/), a removal cut after the record.
    writeFileSync(spool.path('queue', 'CUT', 'eml'), 'Subject: never acknowledged\r\n\r\n');
    writeFileSync(spool.path('tmp', 'CUT', 'json'), '{');
    writeFileSync(spool.path('deferred', 'DONE', 'eml'), 'Subject: delivered\r\n\r\n');
    // A move from queue/ to deferred/ cut after the message's rename: the record names it.
    spooled(spool, 'queue', 'MOVING');
    renameSync(spool.path('queue', 'MOVING', 'eml'), spool.path('deferred', 'MOVING', 'eml'));
    writeFileSync(spool.path('tmp', 'RECEIVING', 'eml'), 'Subject: half');

    const log: string[] = [];
    gw = await startGateway(loadGatewayConfig(join(dir, 'gateway.yaml')), createLog('info', (l) => log.push(l), false));

    const left = Object.fromEntries((['tmp', 'queue', 'deferred', 'quarantine', 'corrupt'] as const).map((a) => [a, readdirSync(join(dir, 'spool', a)).sort()]));
    expect(left).toEqual({
      tmp: [], queue: ['MOVING.json', 'WHOLE.eml', 'WHOLE.json'], deferred: ['MOVING.eml'],
      quarantine: ['HELD.eml', 'HELD.json'], corrupt: ['LOOK.eml', 'LOOK.json'],
    });
    const start = JSON.parse(log.find((l) => l.includes('"event":"start"'))!) as Record<string, unknown>;
    expect(start).toMatchObject({ unacknowledged_removed: 2, partial_removed: 4, orphans_removed: 2 });
    // What was kept is whole: its record checks out against its message (the cut move is finished).
    await expect(gw.spool.load('queue', 'WHOLE')).resolves.toMatchObject({ id: 'WHOLE', nextAttempt: LATER });
    await expect(gw.spool.load('quarantine', 'HELD')).resolves.toMatchObject({ id: 'HELD' });
    await expect(gw.spool.load('queue', 'MOVING', true)).resolves.toMatchObject({ id: 'MOVING' });
    expect(existsSync(gw.spool.path('queue', 'MOVING', 'eml'))).toBe(true);
  });
});
