/** An smtp-server that plays an ISP's relay in tests: STARTTLS, AUTH required, keeps what it receives. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

/** One message the relay took. */
export interface RelayedMessage {
  /** Who logged in for this message. */
  user: string;
  /** The name the client gave in EHLO. */
  helo: string;
  from: string;
  to: string[];
  data: string;
}

/** A running relay: its port, what it took, who tried to log in. */
export interface AuthRelay {
  port: number;
  received: RelayedMessage[];
  /** Every AUTH attempt, with the method: a relay that must not see a password checks it is empty. */
  logins: { method: string; user: string }[];
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1 in `dir` (cert.pem, key.pem); the certificate is its own CA. */
export function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'relay-cert.pem');
  const key = join(dir, 'relay-key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=relay.test',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:relay.test'], { stdio: 'ignore' });
  return { cert, key };
}

/** Start a relay on a free loopback port taking `user`/`pass` by `method` only, after STARTTLS (unless `starttls: false`). */
export async function startAuthRelay(opts: { method: 'PLAIN' | 'LOGIN' | 'CRAM-MD5'; user: string; pass: string; tls: { cert: string; key: string }; starttls?: boolean }): Promise<AuthRelay> {
  const received: RelayedMessage[] = [];
  const logins: { method: string; user: string }[] = [];
  const server = new SMTPServer({
    logger: false,
    key: readFileSync(opts.tls.key),
    cert: readFileSync(opts.tls.cert),
    authMethods: [opts.method],
    disabledCommands: opts.starttls === false ? ['STARTTLS'] : [],
    // smtp-server refuses AUTH before TLS by itself (allowInsecureAuth is false).
    onAuth(auth, _session, cb) {
      logins.push({ method: auth.method, user: auth.username ?? '' });
      const good = auth.username === opts.user && (auth.method === 'CRAM-MD5' ? auth.validatePassword(opts.pass) : auth.password === opts.pass);
      if (!good) return cb(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      cb(null, { user: auth.username });
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ user: String(session.user ?? ''), helo: session.hostNameAppearsAs, from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    logins,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
