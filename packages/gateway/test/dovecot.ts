/**
 * A real Dovecot IMAP server for the submission tests: its own config, users, TLS certificate,
 * base and state folders in a temp folder, on free loopback ports, in the foreground, stopped
 * by `stop()`. Needs root (as in CI), as Dovecot's own `dovecot` and `dovenull` users run it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopper } from '../../facts/test/services';
import { freePort } from './free-port';

export interface Dovecot {
  /** IMAP with STARTTLS (required before LOGIN). */
  imapPort: number;
  /** IMAP over implicit TLS. */
  imapsPort: number;
  /** The server certificate, to trust as the CA of the connection. */
  cert: string;
  /** While true, logins not in the users file get NO [UNAVAILABLE] (a passdb that cannot answer). */
  unavailable(on: boolean): void;
  stop(): Promise<void>;
}

function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1000, () => socket.destroy());
    socket.once('data', (d) => {
      resolve(d.toString().startsWith('* OK'));
      socket.destroy();
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}

/** Start Dovecot with the given users (`{PLAIN}` passwords: a test server) and wait for its greeting. */
export async function startDovecot(users: Record<string, string>, trusted = ''): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'mw-dovecot-'));
  for (const d of ['run', 'state', 'mail']) mkdirSync(join(dir, d));
  // The mail processes run as nobody; the folder above must let them (and dovenull) through.
  chmodSync(dir, 0o755);
  chmodSync(join(dir, 'mail'), 0o777);
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', cert, '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  const usersFile = join(dir, 'users');
  writeFileSync(usersFile, Object.entries(users).map(([u, p]) => `${u}:{PLAIN}${p}\n`).join(''));
  const down = join(dir, 'backend-down');
  writeFileSync(join(dir, 'backend'), `#!/bin/sh\n[ -e ${down} ] && exit 111\nexit 1\n`, { mode: 0o755 });
  const [imapPort, imapsPort] = [await freePort(), await freePort()];
  const dh = '/usr/share/dovecot/dh.pem';
  writeFileSync(join(dir, 'dovecot.conf'), `
instance_name = mw-test-${imapPort}
base_dir = ${dir}/run
state_dir = ${dir}/state
listen = 127.0.0.1
protocols = imap
log_path = /dev/stderr
ssl = required
ssl_cert = <${cert}
ssl_key = <${dir}/key.pem
${existsSync(dh) ? `ssl_dh = <${dh}` : ''}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_failure_delay = 0
login_trusted_networks = ${trusted}
first_valid_uid = 1
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = ${usersFile}
}
# What the file does not take comes here: refused (exit 1), or a temporary failure (exit 111).
passdb {
  driver = checkpassword
  args = ${dir}/backend
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    port = ${imapPort}
  }
  inet_listener imaps {
    port = ${imapsPort}
    ssl = yes
  }
}
`);
  let output = '';
  const child: ChildProcess = spawn('dovecot', ['-F', '-c', join(dir, 'dovecot.conf')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => (output += d.toString()));
  child.stderr?.on('data', (d) => (output += d.toString()));
  const stop = stopper(child, dir);
  const until = Date.now() + 20_000;
  while (!(await greets(imapPort))) {
    if (child.exitCode !== null || Date.now() > until) {
      await stop();
      throw new Error(`dovecot did not start: ${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const unavailable = (on: boolean): void => (on ? writeFileSync(down, '') : rmSync(down, { force: true }));
  return { imapPort, imapsPort, cert, unavailable, stop };
}
