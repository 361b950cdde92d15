import SMTPConnection from 'nodemailer/lib/smtp-connection';

/** What a next hop offers that decides how a message may go to it. */
export interface HopExtensions {
  /** RFC 6152: 8-bit bodies. */
  eightBitMime: boolean;
  /** RFC 6531: UTF-8 addresses and headers. */
  smtpUtf8: boolean;
}

/** How long an EHLO answer is believed; every message sent to the hop renews it. */
const TTL = 10 * 60_000;
const MAX_HOPS = 1000;
const known = new Map<string, { extensions: HopExtensions; at: number }>();
const asking = new Map<string, Promise<HopExtensions>>();
/** Probe sessions open now, for a shutdown to cut. */
const probing = new Set<SMTPConnection>();

/** The extensions in EHLO lines given without their reply codes and greeting line. */
function fromLines(lines: readonly string[]): HopExtensions {
  const has = (word: string): boolean => lines.some((l) => l.trim().split(/\s+/)[0]?.toUpperCase() === word);
  return { eightBitMime: has('8BITMIME'), smtpUtf8: has('SMTPUTF8') };
}

function remember(key: string, extensions: HopExtensions, now: number): HopExtensions {
  if (known.size >= MAX_HOPS && !known.has(key)) known.delete(known.keys().next().value as string);
  known.set(key, { extensions, at: now });
  return extensions;
}

/** What the hop (a transport key) was last seen to offer, if that was recently. */
export function knownExtensions(key: string, now = Date.now()): HopExtensions | undefined {
  const entry = known.get(key);
  return entry && now - entry.at < TTL ? entry.extensions : undefined;
}

/**
 * What a message's send saw: nodemailer gives the EHLO lines of the connection that carried
 * it (`info.ehlo`), so hops in use are known without asking, and a change of theirs is seen.
 */
export function learnExtensions(key: string, ehlo: unknown, now = Date.now()): void {
  if (Array.isArray(ehlo)) remember(key, fromLines(ehlo.map(String)), now);
}

/**
 * Ask the hop what it offers: a session of its own (same TLS as the pool's: the EHLO after
 * STARTTLS is the one that counts), EHLO, QUIT. nodemailer's pool does not say what a
 * connection was offered before it sends on it, and it is asked only for a message that
 * needs 8BITMIME or SMTPUTF8, once per hop while the answer is fresh.
 */
export function probeExtensions(key: string, options: SMTPConnection.Options, now = Date.now): Promise<HopExtensions> {
  const cached = knownExtensions(key, now());
  if (cached) return Promise.resolve(cached);
  let pending = asking.get(key);
  if (!pending) {
    pending = new Promise<HopExtensions>((resolve, reject) => {
      const connection = new SMTPConnection(options);
      probing.add(connection);
      connection.on('error', reject); // on, not once: one after the answer (at QUIT) must not go unheard
      // A close before the EHLO answer (a hub that hangs up) is no answer: the hop is not usable.
      connection.once('end', () => {
        probing.delete(connection);
        reject(new Error('connection closed before its EHLO answer'));
      });
      connection.connect((err?: Error) => {
        if (err) return reject(err);
        // After connect the last reply is the EHLO's: "250-name\n250-8BITMIME\n250 SMTPUTF8".
        const reply = typeof connection.lastServerResponse === 'string' ? connection.lastServerResponse : '';
        const lines = reply.split(/\r?\n/).map((l) => l.replace(/^\d{3}[ -]?/, '')).slice(1);
        resolve(remember(key, fromLines(lines), now()));
        connection.quit();
      });
    }).finally(() => asking.delete(key));
    asking.set(key, pending);
  }
  return pending;
}

/** Close the probe sessions still open (a shutdown cuts them): each one's probe fails. */
export function closeProbes(): void {
  for (const connection of probing) connection.close();
  probing.clear();
}

/** Forget every hop (the pools were closed: tests, shutdown). */
export function forgetExtensions(): void {
  known.clear();
}
