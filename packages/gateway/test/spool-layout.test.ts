/**
 * A gateway.yaml without spool: keeps its spool beside the file, and a folder that holds what
 * Mailward did not put there is refused untouched. Trial 4: started from / as root, the gateway
 * took /var/spool as its spool, chmodded it 0700, emptied var/spool/tmp and chowned it all.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ForeignSpoolError, Spool, createLog, defaultConfig, loadGatewayConfig, startGateway } from '../src/index';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mw-layout-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('without spool:, the spool and the maildir are beside gateway.yaml, wherever it is started from', () => {
  mkdirSync(join(dir, 'etc'));
  writeFileSync(join(dir, 'etc', 'gateway.yaml'), 'listeners: [{ listen: "127.0.0.1:0" }]\n');
  const config = loadGatewayConfig(join(dir, 'etc', 'gateway.yaml'), '/');
  expect(config.spool).toBe(join(dir, 'etc', 'var/spool'));
  expect(config.delivery.maildir).toBe(join(dir, 'etc', 'var/mail'));
});

test("a spool folder with another program's files is refused, and left as it was", async () => {
  const spool = join(dir, 'var', 'spool');
  mkdirSync(join(spool, 'cron'), { recursive: true });
  mkdirSync(join(spool, 'tmp'));
  writeFileSync(join(spool, 'cron', 'root'), '* * * * * root true\n');
  writeFileSync(join(spool, 'tmp', 'other-app-file'), 'keep\n');
  chmodSync(spool, 0o755);
  const start = startGateway({ ...defaultConfig(dir), listeners: [{ listen: '127.0.0.1:0' }] }, createLog('error', () => undefined, false));
  await expect(start).rejects.toBeInstanceOf(ForeignSpoolError);
  await expect(start).rejects.toThrow(`the spool ${spool} is not a Mailward spool: it holds cron, which Mailward did not put there; give gateway.yaml a spool: folder of its own`);
  expect(statSync(spool).mode & 0o777).toBe(0o755);
  expect(readdirSync(spool).sort()).toEqual(['cron', 'tmp']);
  expect(existsSync(join(spool, 'tmp', 'other-app-file'))).toBe(true);
});

test('an empty folder, or a spool Mailward made, is used', async () => {
  mkdirSync(join(dir, 'var', 'spool'), { recursive: true });
  for (let i = 0; i < 2; i++) {
    const gw = await startGateway({ ...defaultConfig(dir), listeners: [{ listen: '127.0.0.1:0' }] }, createLog('error', () => undefined, false));
    await gw.stop(1000);
  }
  expect(readdirSync(join(dir, 'var', 'spool')).sort()).toEqual(['corrupt', 'deferred', 'quarantine', 'queue', 'secret', 'tmp']);
});

test('a spool with the lock files a start killed half-way leaves (lock.PID, lock.stale.PID) is ours, and starts', async () => {
  const spool = join(dir, 'var', 'spool');
  new Spool(spool);
  writeFileSync(join(spool, 'lock.4242'), '4242\n');
  writeFileSync(join(spool, 'lock.stale.4243'), '4243\n');
  const gw = await startGateway({ ...defaultConfig(dir), listeners: [{ listen: '127.0.0.1:0' }] }, createLog('error', () => undefined, false));
  await gw.stop(1000);
});

test('the folders made above a new spool are not 0700: the user: it is handed to must reach it', () => {
  new Spool(join(dir, 'var', 'spool'));
  expect(statSync(join(dir, 'var')).mode & 0o777).toBe(0o777 & ~process.umask());
  expect(statSync(join(dir, 'var', 'spool')).mode & 0o777).toBe(0o700);
});
