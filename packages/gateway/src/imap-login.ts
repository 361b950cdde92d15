import { readFileSync } from 'node:fs';
import type { ImapFlow as ImapFlowClient, ImapFlowError } from 'imapflow';
import { LoginCache } from './login-cache';

/** The IMAP server that checks a submission listener's logins (Endian's "IMAP server for SMTP authentication"). */
export interface ImapServer {
  host: string;
  /** Default 993 with implicit TLS, 143 with STARTTLS. */
  port?: number;
  /** `implicit` (default): TLS from the first byte; `starttls`: the upgrade is required. Never cleartext. */
  tls?: 'implicit' | 'starttls';
  /** PEM file of the CA(s) to trust for this server; default: the system's. */
  ca?: string;
  /** Default true; false accepts any certificate (a test server, never a real one). */
  rejectUnauthorized?: boolean;
  /** Milliseconds for the whole check, connect to logout (default 10 s). */
  timeout?: number;
  /** Milliseconds a login that passed is remembered (default 5 minutes; 0: every AUTH logs in). */
  cacheTime?: number;
}

/** The IMAP server could not say yes or no (unreachable, too slow, TLS or protocol error): try again later. */
export class ImapLoginUnavailable extends Error {
  readonly code = 'MW_IMAP_LOGIN_UNAVAILABLE';
}

/** imapflow, loaded when an IMAP server is configured: a gateway without one does not carry it in memory. */
function imapFlow(): typeof ImapFlowClient {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('imapflow') as typeof import('imapflow')).ImapFlow;
}

// RFC 5530 response codes that mean "not now" rather than "not these credentials".
const TEMPORARY = new Set(['UNAVAILABLE', 'INUSE', 'LIMIT', 'SERVERBUG']);
const CONTROL = /[\x00-\x1f\x7f]/;

/** Checks a submission login by logging in to the IMAP server and straight out again. */
export class ImapLogin {
  private readonly cache: LoginCache;
  private readonly ca: Buffer | undefined;
  private readonly implicit: boolean;
  private readonly port: number;

  constructor(private readonly server: ImapServer) {
    this.ca = server.ca ? readFileSync(server.ca) : undefined;
    this.cache = new LoginCache(server.cacheTime ?? 300_000);
    this.implicit = (server.tls ?? 'implicit') === 'implicit';
    this.port = server.port ?? (this.implicit ? 993 : 143);
  }

  /** host:port, for logs. */
  get address(): string {
    return `${this.server.host}:${this.port}`;
  }

  /** True: the server took the login (now or within the cache time); false: it refused the credentials; throws ImapLoginUnavailable when it could not tell. */
  async check(user: string, password: string, clientIp?: string): Promise<boolean> {
    // No IMAP account has a line break in its name or password: refused without asking.
    if (CONTROL.test(user) || CONTROL.test(password)) return false;
    if (this.cache.has(user, password)) return true;
    const ok = await this.login(user, password, clientIp);
    if (ok) this.cache.add(user, password);
    return ok;
  }

  private async login(user: string, password: string, clientIp: string | undefined): Promise<boolean> {
    const timeout = this.server.timeout ?? 10_000;
    const ImapFlow = imapFlow();
    const client = new ImapFlow({
      host: this.server.host,
      port: this.port,
      secure: this.implicit,
      ...(this.implicit ? {} : { doSTARTTLS: true }),
      auth: { user, pass: password },
      // Dovecot takes the SMTP client's address from ID when the gateway is in its
      // login_trusted_networks: its auth penalty then slows that client, not every login.
      clientInfo: { name: 'Mailward', ...(clientIp ? { 'x-originating-ip': clientIp } : {}) },
      verifyOnly: true,
      disableAutoIdle: true,
      logger: false,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      tls: { rejectUnauthorized: this.server.rejectUnauthorized ?? true, minVersion: 'TLSv1.2', ...(this.ca ? { ca: this.ca } : {}) },
    });
    // Failures reach connect(); an 'error' event nobody listens to would bring the gateway down.
    client.on('error', () => undefined);
    const connecting = client.connect();
    connecting.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new ImapLoginUnavailable(`${this.address}: no answer within ${timeout} ms`)), timeout);
    });
    try {
      await Promise.race([connecting, deadline]);
      return true;
    } catch (err) {
      if (err instanceof ImapLoginUnavailable) throw err;
      const e = err as ImapFlowError;
      if (e.authenticationFailed && !TEMPORARY.has(e.serverResponseCode ?? '')) return false;
      // The message and code only: imapflow keeps the command it sent on the error.
      const said = typeof e.response === 'string' && e.response ? ` (${e.response})` : '';
      throw new ImapLoginUnavailable(`${this.address}: ${e.code ? `${e.code}: ` : ''}${e.message}${said}`);
    } finally {
      clearTimeout(timer);
      client.close();
    }
  }
}
