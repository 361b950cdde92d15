/**
 * `mailward quarantine release` and `mailward spool` run as root beside a gateway that dropped
 * to its `user` (docs/gateway.md: start as root with user: mailward) wrote root-owned records in
 * the spool: the gateway could not read the released message ('spool-corrupt ... EACCES' at every
 * scan) and it was never delivered. As root, the commands now act as the spool's owner. Root only.
 */
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spool } from '@mailward/gateway';
import { runCli } from './run-cli';

const isRoot = process.getuid?.() === 0;
if (!isRoot && process.env.CI === 'true') throw new Error('the spool owner test must run as root under CI');

(isRoot ? test : test.skip)('a release run as root leaves every file of the spool to its owner, and says who released it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-spool-owner-'));
  chmodSync(dir, 0o755); // the spool's owner reaches it, as the gateway does
  try {
    const spool = new Spool(join(dir, 'spool'));
    const eml = Buffer.from('From: a@example.org\r\nSubject: held\r\n\r\nbody\r\n');
    writeFileSync(spool.path('quarantine', 'Q1', 'eml'), eml);
    spool.writeRecord('quarantine', {
      id: 'Q1', createdAt: Date.now(), client: { ip: '192.0.2.1', tls: false, authenticated: false }, sender: 'a@example.org',
      recipients: [{ address: 'bob@acme.example', state: 'pending' }], effects: [], verdict: 'quarantine', fired: ['hold'], quarantine: { reason: 'test', notify: [] },
      attempts: 0, nextAttempt: Date.now(), size: eml.length, sha256: createHash('sha256').update(eml).digest('hex'),
    });
    const own = (path: string): void => {
      chownSync(path, 65534, 65534);
      if (statSync(path).isDirectory()) for (const e of readdirSync(path)) own(join(path, e));
    };
    own(join(dir, 'spool'));
    const r = await runCli(['quarantine', 'release', 'Q1', '--spool', join(dir, 'spool')], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const owners = (area: string) => readdirSync(join(dir, 'spool', area)).map((f) => [f, statSync(join(dir, 'spool', area, f)).uid]);
    expect(owners('queue')).toEqual([['Q1.eml', 65534], ['Q1.json', 65534]]);
    const released = spool.read('queue', 'Q1')!.effects.find((e) => e.type === 'addHeader') as { name: string; value: string };
    expect(released).toMatchObject({ name: 'X-Mailward-Released', value: expect.stringMatching(/ by root /) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
