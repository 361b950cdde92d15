import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { createLog } from '../src/log';
import { Spool } from '../src/spool/spool';
import { expireQuarantine } from '../src/spool/quarantine-expiry';

const DAY = 86_400_000;

it('deletes quarantined messages past the retention and keeps the younger ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-expiry-'));
  try {
    const spool = new Spool(dir);
    const hold = (id: string, createdAt: number): void => {
      const eml = Buffer.from(`Subject: ${id}\r\n\r\nheld\r\n`);
      writeFileSync(spool.path('quarantine', id, 'eml'), eml);
      spool.writeRecord('quarantine', {
        id, createdAt, client: { ip: '192.0.2.1', tls: false, authenticated: false }, sender: 'a@example.org',
        recipients: [{ address: 'b@acme.example', state: 'pending' }], effects: [], verdict: 'quarantine', fired: ['q'],
        quarantine: { reason: 'test', notify: [] }, attempts: 0, nextAttempt: createdAt, size: eml.length,
        sha256: createHash('sha256').update(eml).digest('hex'),
      });
    };
    const now = 100 * DAY;
    hold('OLD', now - 31 * DAY);
    hold('NEW', now - 2 * DAY);
    const lines: string[] = [];
    await expireQuarantine(spool, 30 * DAY, now, createLog('info', (l) => void lines.push(l), false));
    expect(spool.list('quarantine')).toEqual(['NEW']);
    expect(lines.join('')).toMatch(/"event":"quarantine-expired","id":"OLD"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
