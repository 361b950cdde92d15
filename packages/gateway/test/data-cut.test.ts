import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLog, defaultConfig, startGateway } from '../src/index';
import { eventually } from './hub-sink';

// DATA that stops partway was never acknowledged: its spool file goes at once, not at a restart
// (480 KB: more than the store holds in memory, so it is on disk when the client goes).
it('removes the tmp file of a message whose client went away mid-DATA', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-cut-'));
  writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: ours\n      when: { recipient: { domain: acme.example } }\n      do: [ accept ]\n');
  const events: string[] = [];
  const gw = await startGateway(
    { ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }], secret: 'cut-test-secret-0123' },
    createLog('info', (line) => void events.push(line), false),
  );
  try {
    const socket = connect(gw.addresses[0]!.port, '127.0.0.1');
    socket.on('error', () => undefined);
    let replies = '';
    socket.on('data', (d) => (replies += d.toString()));
    const reply = async (code: string): Promise<void> => eventually(() => new RegExp(`^${code} `, 'm').test(replies));
    await reply('220');
    socket.write('EHLO client.example\r\nMAIL FROM:<a@example.org>\r\nRCPT TO:<b@acme.example>\r\nDATA\r\n');
    await reply('354');
    socket.write(`Subject: cut\r\n\r\n${'half a message\r\n'.repeat(30_000)}`);
    await eventually(() => readdirSync(join(dir, 'var/spool/tmp')).length > 0);
    socket.destroy();
    await eventually(() => readdirSync(join(dir, 'var/spool/tmp')).length === 0);
    await eventually(() => events.some((l) => l.includes('went away in the middle of DATA')));
    expect(gw.spool.pending()).toEqual([]);
  } finally {
    await gw.stop(1000);
    rmSync(dir, { recursive: true, force: true });
  }
});
