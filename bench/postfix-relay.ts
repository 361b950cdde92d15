/**
 * A private Postfix instance as a relay, for the gateway benchmark: config_directory,
 * queue_directory and data_directory under a temporary folder, smtpd on a free loopback port,
 * everything relayed to `relayhost = [127.0.0.1]:<sink>`, no local delivery, Postfix's defaults
 * otherwise (fsync on, in_flow_delay 1s, 20 deliveries per destination).
 *
 * `postfix -c DIR start` needs no /etc/postfix/main.cf when run by root (the -c instance is the
 * only one it touches; alternate_config_directories only matters to set-gid commands such as
 * postdrop, which a relay fed over SMTP never runs), so the system configuration is not touched.
 * Postfix logs to DIR/maillog (maillog_file): without a terminal its commands are silent.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForPort } from '../packages/gateway/test/support/postfix-tools';

export interface PostfixRelay {
  port: number;
  /** The master process; its daemons are its children. */
  pid: number;
  stop(): Promise<void>;
}

const run = promisify(execFile);

function mainCf(dir: string, sinkPort: number): string {
  return [
    'compatibility_level = 3.6',
    `queue_directory = ${dir}/queue`, `data_directory = ${dir}/data`,
    'mail_owner = postfix', 'setgid_group = postdrop',
    'myhostname = postfix.bench.test', 'mydomain = bench.test',
    'inet_interfaces = 127.0.0.1', 'inet_protocols = ipv4', 'mynetworks = 127.0.0.0/8',
    `relayhost = [127.0.0.1]:${sinkPort}`,
    // Nothing is delivered here: every domain is remote and goes to the relayhost.
    'mydestination =', 'local_recipient_maps =', 'local_transport = error:no local delivery',
    'alias_maps =', 'alias_database =', 'biff = no',
    // The 50 MB message of the RSS run is not sent here; 5 MB must pass (default limit 10 MB).
    'message_size_limit = 104857600',
    // No reverse DNS for 127.0.0.1: the other targets do none either.
    'smtpd_peername_lookup = no',
    `maillog_file_prefixes = ${dir}`, `maillog_file = ${dir}/maillog`, '',
  ].join('\n');
}

/** Debian's master.cf services, minus local delivery and pipes, no chroot (the queue is a temp folder). */
function masterCf(port: number): string {
  return [
    `127.0.0.1:${port} inet n - n - - smtpd`,
    'pickup unix n - n 60 1 pickup', 'cleanup unix n - n - 0 cleanup', 'qmgr unix n - n 300 1 qmgr',
    'rewrite unix - - n - - trivial-rewrite', 'bounce unix - - n - 0 bounce', 'defer unix - - n - 0 bounce',
    'trace unix - - n - 0 bounce', 'verify unix - - n - 1 verify', 'flush unix n - n 1000? 0 flush',
    'proxymap unix - - n - - proxymap', 'smtp unix - - n - - smtp', 'relay unix - - n - - smtp',
    'showq unix n - n - - showq', 'error unix - - n - - error', 'retry unix - - n - - error',
    'discard unix - - n - - discard', 'anvil unix - - n - 1 anvil', 'scache unix - - n - 1 scache',
    'postlog unix-dgram n - n - 1 postlogd', '',
  ].join('\n');
}

function logTail(dir: string): string {
  try {
    return readFileSync(join(dir, 'maillog'), 'utf8').trim().split('\n').slice(-3).join(' / ');
  } catch {
    return '(no maillog)';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts a private Postfix relaying to the sink; `stop()` stops it and removes its folder. */
export async function startPostfixRelay(sinkPort: number, work: string): Promise<PostfixRelay> {
  if (process.getuid?.() !== 0) throw new Error('the Postfix relay needs root (postfix(1) is reserved for the superuser)');
  if (!existsSync('/usr/sbin/postfix')) throw new Error('no /usr/sbin/postfix: install the Debian package postfix');
  const dir = mkdtempSync(join(work, 'postfix-'));
  // The postfix user walks down to its queue and data directories.
  chmodSync(work, 0o755);
  chmodSync(dir, 0o755);
  const etc = join(dir, 'etc');
  for (const d of [etc, join(dir, 'queue'), join(dir, 'data')]) mkdirSync(d);
  chownSync(join(dir, 'data'), Number(execFileSync('id', ['-u', 'postfix'], { encoding: 'utf8' })), 0);
  const port = await freePort();
  writeFileSync(join(etc, 'main.cf'), mainCf(dir, sinkPort));
  writeFileSync(join(etc, 'master.cf'), masterCf(port));
  let pid = 0;
  const stop = async (): Promise<void> => {
    if (existsSync(join(dir, 'queue/pid/master.pid'))) await run('/usr/sbin/postfix', ['-c', etc, 'stop']).catch(() => undefined);
    // postfix stop waits for master, which ends its daemons; the group kill is for a master that hung.
    for (let i = 0; i < 50 && pid && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (pid) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch { /* already gone */ }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run('/usr/sbin/postfix', ['-c', etc, 'start']);
    pid = Number(readFileSync(join(dir, 'queue/pid/master.pid'), 'utf8').trim());
    await waitForPort(port);
  } catch (err) {
    const why = `postfix -c ${etc} start failed: ${(err as Error).message.split('\n')[0]}; maillog: ${logTail(dir)}`;
    await stop();
    throw new Error(why);
  }
  return { port, pid, stop };
}

/** Postfix's version, as postconf reports it ('?' without postconf). */
export function postfixVersion(): string {
  try {
    return execFileSync('postconf', ['-d', '-h', 'mail_version'], { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}
