/** TLS for tests: a throwaway certificate, and STARTTLS on an open dialog. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { dialogOver, type Dialog } from './smtp-dialog';

/** A self-signed key and certificate for the host's `server` options. */
export function testCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'mw-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=adapter.test'], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Send STARTTLS and go on over TLS: the dialog to use from then on. */
export async function startTls(d: Dialog): Promise<Dialog> {
  const ready = await d.send('STARTTLS\r\n');
  if (!ready.startsWith('220')) throw new Error(`STARTTLS refused: ${ready}`);
  const secure = tlsConnect({ socket: d.socket, rejectUnauthorized: false });
  const dialog = dialogOver(secure);
  await new Promise<void>((r) => secure.once('secureConnect', () => r()));
  return dialog;
}
