import type { Readable } from 'node:stream';
import nodemailer, { type Transporter } from 'nodemailer';
import type { DeliveryConfig, RecipientOutcome } from './delivery-config';

const transports = new Map<string, Transporter>();

/** A pooled transport per next hop. */
function transportFor(host: string, port: number, config: DeliveryConfig, auth?: DeliveryConfig['smarthost']): Transporter {
  const key = `${host}:${port}:${auth?.user ?? ''}`;
  let t = transports.get(key);
  if (!t) {
    t = nodemailer.createTransport({
      host, port, secure: port === 465, pool: true, maxConnections: config.maxConnsPerSite ?? 5, maxMessages: config.maxMailsPerConn ?? 100,
      connectionTimeout: (config.timeout ?? 60) * 1000, greetingTimeout: (config.timeout ?? 60) * 1000, socketTimeout: (config.timeout ?? 60) * 1000,
      tls: { rejectUnauthorized: false }, // the hub is ours, often with an internal certificate
      ...(auth?.user ? { auth: { user: auth.user, pass: auth.pass ?? '' }, authMethod: auth.method ?? 'PLAIN' } : {}),
    } as Parameters<typeof nodemailer.createTransport>[0]);
    transports.set(key, t);
  }
  return t;
}

/** Close every pooled connection (shutdown, tests). */
export function closeRelays(): void {
  for (const t of transports.values()) t.close();
  transports.clear();
}

interface RejectedError {
  recipient: string;
  responseCode?: number;
  response?: string;
}

/**
 * Relay one message to the first hub that answers, for these recipients. A hub that cannot be
 * reached makes us try the next; the per-recipient answers of the hub that took the
 * transaction are the outcome (2xx delivered, 4xx temporary, 5xx permanent).
 */
export async function relay(hops: { host: string; port: number }[], sender: string, recipients: string[], open: () => Readable, config: DeliveryConfig, auth?: DeliveryConfig['smarthost']): Promise<RecipientOutcome[]> {
  let lastError = 'no hub configured';
  for (const hop of hops) {
    const raw = open();
    try {
      const info = await transportFor(hop.host, hop.port, config, auth).sendMail({ envelope: { from: sender, to: recipients }, raw });
      const rejected = ((info as { rejectedErrors?: RejectedError[] }).rejectedErrors ?? []);
      return recipients.map((address) => {
        const r = rejected.find((e) => e.recipient.toLowerCase() === address.toLowerCase());
        if (!r) return { address, outcome: 'delivered' as const, detail: `${hop.host}:${hop.port} ${info.response}` };
        return { address, outcome: (r.responseCode ?? 500) >= 500 ? ('permanent' as const) : ('temporary' as const), detail: r.response ?? String(r.responseCode) };
      });
    } catch (err) {
      const e = err as Error & { responseCode?: number; response?: string; code?: string; rejectedErrors?: RejectedError[] };
      if (e.code === 'EENVELOPE' && e.rejectedErrors?.length) {
        // Every recipient refused: the hub answered, so its answers stand.
        return recipients.map((address) => {
          const r = e.rejectedErrors!.find((x) => x.recipient.toLowerCase() === address.toLowerCase());
          const code = r?.responseCode ?? e.responseCode ?? 450;
          return { address, outcome: code >= 500 ? ('permanent' as const) : ('temporary' as const), detail: r?.response ?? e.response ?? e.message };
        });
      }
      if (e.responseCode && e.responseCode >= 500 && e.code !== 'ECONNECTION') {
        return recipients.map((address) => ({ address, outcome: 'permanent' as const, detail: e.response ?? e.message }));
      }
      lastError = `${hop.host}:${hop.port}: ${e.response ?? e.message}`;
    } finally {
      // A hop that failed before DATA never read the message: its spool file would stay open.
      raw.destroy();
    }
  }
  return recipients.map((address) => ({ address, outcome: 'temporary' as const, detail: lastError }));
}
