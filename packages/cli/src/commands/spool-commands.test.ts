import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PasswordFile, Spool, type QueueRecord } from '@mailward/gateway';
import type { Io } from '../io';
import { run as passwd } from './passwd';
import { run as quarantine } from './quarantine';
import { run as spoolCommand } from './spool';
import { UsageError } from '../usage-error';

function capture(): Io & { text: () => string; errors: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => (out += t), err: (t) => (err += t), tty: false, text: () => out, errors: () => err };
}

function put(spool: Spool, area: 'queue' | 'quarantine', id: string, extra: Partial<QueueRecord> = {}): void {
  const eml = Buffer.from(`From: a@example.org\r\nSubject: hello ${id}\r\n\r\nbody\r\n`);
  writeFileSync(spool.path(area, id, 'eml'), eml);
  spool.writeRecord(area, {
    id, createdAt: Date.now() - 90_000, client: { ip: '192.0.2.1', tls: false, authenticated: false }, sender: 'a@example.org',
    recipients: [{ address: 'bob@acme.example', state: 'pending' }], effects: [], verdict: area === 'queue' ? 'accept' : 'quarantine', fired: ['r'],
    attempts: 2, nextAttempt: Date.now() + 60_000, size: eml.length, sha256: createHash('sha256').update(eml).digest('hex'), lastError: 'hub down', ...extra,
  });
}

describe('mailward spool and quarantine', () => {
  let dir: string;
  let spool: Spool;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mw-spoolcli-'));
    spool = new Spool(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the queue with age, attempts, next attempt and last error', async () => {
    put(spool, 'queue', 'Q1');
    const io = capture();
    expect(await spoolCommand(['list', '--spool', dir], io)).toBe(0);
    expect(io.text()).toMatch(/1 message\(s\) in the queue/);
    expect(io.text()).toMatch(/Q1 {2}age 1m {3}attempts 2 {2}next \S+ {2}<a@example.org> -> bob@acme.example/);
    expect(io.text()).toMatch(/last error: hub down/);
  });

  it('lists a bounce waiting in the queue as from <>', async () => {
    put(spool, 'queue', 'DSN1', { sender: '' });
    const io = capture();
    await spoolCommand(['list', '--spool', dir], io);
    expect(io.text()).toMatch(/DSN1 .* {2}<> -> bob@acme\.example\n/);
  });

  it('shows, deletes, and asks for a flush', async () => {
    put(spool, 'queue', 'Q2');
    const io = capture();
    await spoolCommand(['show', 'Q2', '--spool', dir], io);
    expect(io.text()).toMatch(/Subject: hello Q2/);
    await spoolCommand(['flush', '--spool', dir], io);
    expect(existsSync(join(dir, 'flush'))).toBe(true);
    await spoolCommand(['delete', 'Q2', '--spool', dir], io);
    expect(spool.list('queue')).toEqual([]);
    await expect(spoolCommand(['delete', 'Q2', '--spool', dir], io)).rejects.toThrow(/no message Q2/);
  });

  it('deletes a message the gateway moved to deferred/ while it was being deleted', async () => {
    put(spool, 'queue', 'Q5');
    // Found in queue/, then renamed to deferred/ by the dequeuer before the removal.
    jest.spyOn(Spool.prototype, 'whereQueued').mockImplementationOnce(function (this: Spool) {
      for (const ext of ['eml', 'json'] as const) renameSync(this.path('queue', 'Q5', ext), this.path('deferred', 'Q5', ext));
      return 'queue';
    });
    const io = capture();
    await spoolCommand(['delete', 'Q5', '--spool', dir], io);
    expect(io.text()).toBe('deleted Q5\n');
    expect(spool.pending()).toEqual([]);
    jest.restoreAllMocks();
  });

  it('reports a damaged message instead of hiding it, and moves it to corrupt/', async () => {
    put(spool, 'queue', 'Q3');
    writeFileSync(spool.path('queue', 'Q3', 'eml'), 'tampered');
    const io = capture();
    expect(await spoolCommand(['list', '--spool', dir], io)).toBe(1);
    expect(io.errors()).toMatch(/Q3.*damaged/);
    expect(spool.list('corrupt')).toEqual(['Q3']);
  });

  it('lists, shows, releases and deletes quarantined mail', async () => {
    const trace = [
      { rule: 'strip-exe', reached: true, matched: false, conditions: [{ condition: 'part.filename', result: false, value: ['notes.txt'], pattern: '*.exe' }] },
      { rule: 'clamd', reached: true, matched: true, conditions: [{ condition: 'virus', result: true, value: ['Eicar-Signature'] }] },
    ];
    put(spool, 'quarantine', 'H1', { quarantine: { reason: 'virus', notify: [], rule: 'clamd', trace } });
    put(spool, 'quarantine', 'H2', { quarantine: { reason: 'spam', notify: [] } });
    const io = capture();
    await quarantine(['list', '--spool', dir], io);
    expect(io.text()).toMatch(/H1 .* virus \(rule clamd\)/);
    await quarantine(['show', 'H1', '--spool', dir], io);
    expect(io.text()).toMatch(/reason: virus\nrule: clamd/);
    expect(io.text()).toContain('trace (data):\n    . strip-exe: no match\n        no  part.filename = ["notes.txt"] vs *.exe\n    + clamd: matched\n        yes virus = ["Eicar-Signature"]\n');
    await quarantine(['show', 'H2', '--spool', dir], io);
    expect(io.text()).toContain('trace: not recorded\n');
    await quarantine(['release', 'H1', '--spool', dir], io);
    expect(spool.list('queue')).toEqual(['H1']);
    expect(spool.read('queue', 'H1')!.effects).toContainEqual(expect.objectContaining({ type: 'addHeader', name: 'X-Mailward-Released' }));
    await quarantine(['delete', 'H2', '--spool', dir], io);
    expect(spool.list('quarantine')).toEqual([]);
  });

  it('says where a message named in the wrong command is', async () => {
    put(spool, 'quarantine', 'H3', { quarantine: { reason: 'virus', notify: [] } });
    put(spool, 'queue', 'Q4');
    await expect(spoolCommand(['show', 'H3', '--spool', dir], capture())).rejects.toThrow('no message H3 in the queue: it is in quarantine (mailward quarantine show H3)');
    await expect(quarantine(['release', 'Q4', '--spool', dir], capture())).rejects.toThrow('no message Q4 in quarantine: it is in the queue (mailward spool show Q4)');
    writeFileSync(spool.path('queue', 'Q4', 'eml'), 'tampered');
    await spoolCommand(['list', '--spool', dir], capture()); // finds it damaged: moved to corrupt/
    await expect(spoolCommand(['delete', 'Q4', '--spool', dir], capture())).rejects.toThrow(`no message Q4 in the queue: it is in ${join(dir, 'corrupt')}/, damaged`);
    await expect(spoolCommand(['show', 'NONE', '--spool', dir], capture())).rejects.toThrow(/^no message NONE in the queue$/);
  });

  it('says how to call it', async () => {
    await expect(quarantine(['bogus', '--spool', dir], capture())).rejects.toThrow(/mailward quarantine list \| show ID/);
  });

  it('takes a wrong action or a missing id for bad usage, not for a missing spool', async () => {
    const none = join(dir, 'no-spool-here');
    await expect(spoolCommand(['bogus', '--spool', none], capture())).rejects.toThrow(UsageError);
    await expect(spoolCommand(['--spool', none], capture())).rejects.toThrow(UsageError);
    await expect(spoolCommand(['show', '--spool', none], capture())).rejects.toThrow(/^show needs a queue id/);
    await expect(quarantine(['bogus', '--spool', none], capture())).rejects.toThrow(UsageError);
    await expect(quarantine(['release', '--spool', none], capture())).rejects.toThrow(/^release needs a quarantine id/);
    await expect(spoolCommand(['list', '--spool', none], capture())).rejects.toThrow(/no spool here/);
  });

  it('refuses --spool and --config together instead of ignoring --config', async () => {
    const config = join(dir, 'gateway.yaml');
    writeFileSync(config, 'spool: elsewhere\n');
    await expect(spoolCommand(['list', '--spool', dir, '--config', config], capture())).rejects.toThrow(/^give --spool DIR or --config FILE, not both \(--config .*gateway\.yaml names its own spool\)\n/);
    await expect(quarantine(['list', '--config', config, '--spool', dir], capture())).rejects.toThrow(UsageError);
  });
});

describe('mailward passwd', () => {
  it('prints a line the password file of the gateway accepts', async () => {
    const io = capture();
    await passwd(['alice'], io, (async function* () { yield Buffer.from('s3cret\n'); })());
    const dir = mkdtempSync(join(tmpdir(), 'mw-pw-'));
    writeFileSync(join(dir, 'pw'), io.text());
    const file = new PasswordFile(join(dir, 'pw'));
    await expect(file.check('alice', 's3cret')).resolves.toBe(true);
    await expect(file.check('alice', 'nope')).resolves.toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
