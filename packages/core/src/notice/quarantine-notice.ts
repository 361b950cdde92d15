import type { RuleTrace } from '../engine/decision';

/**
 * The notice a quarantine's `notify` addresses are mailed (the gateway's and the Haraka
 * plugin's alike): who sent what, why it was held, and where it is.
 */
export interface HeldMessage {
  /** The id the host's logs and tools know it by (the gateway's queue id, Haraka's transaction uuid). */
  id: string;
  reason: string;
  rule: string;
  /** The envelope sender after the policy's rewrites ('' for the null sender). */
  sender: string;
  /** The envelope recipients after the policy's rewrites (before a `forward` replaces them). */
  recipients: string[];
  /** The Subject as received, decoded. */
  subject: string;
  /** The client's address. */
  client: string;
  /** Where it is kept, in the host's words: a line such as `kept in: FILE`, or how to release it. */
  whereabouts: string[];
  /** What the deciding rule found (`virus = ["Eicar-Test-Signature"]`): see heldFindings. */
  findings?: string[];
}

/** A traced value on one line, cut short: what a notice or log line shows of it. */
const shown = (value: unknown): string => {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
};

/**
 * What made the rule that held a message hold it, from the data stage's trace: each condition
 * of it that held, with the value it saw (the virus names, the spam score, the file names).
 */
export function heldFindings(trace: readonly RuleTrace[], rule: string | undefined): string[] {
  const deciding = trace.find((t) => t.rule === rule && t.matched);
  return (deciding?.conditions ?? []).filter((c) => c.result && c.pattern !== 'not').map((c) => `${c.condition} = ${shown(c.value)}`);
}

/** Control characters (CR and LF among them) as one space: a value cannot start a new line. */
const oneLine = (text: string): string => text.replace(/[\x00-\x1f\x7f]+/g, ' ');

/**
 * A header value as RFC 5322 allows it: on one line, and text that is not ASCII as RFC 2047
 * encoded words (UTF-8, base64, each under 76 octets, folded), since the notice goes to hops
 * that may not take raw UTF-8 in headers (no SMTPUTF8 is asked for).
 */
function headerText(text: string): string {
  const clean = oneLine(text);
  if (!/[^\x20-\x7e]/.test(clean)) return clean;
  const words: string[] = [];
  let chunk = '';
  for (const ch of clean) {
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?utf-8?B?${Buffer.from(w).toString('base64')}?=`).join('\r\n ');
}

/** The notice, CRLF line ends, from MAILER-DAEMON at `hostname`, to the `to` addresses. */
export function quarantineNoticeText(held: HeldMessage, to: readonly string[], hostname: string, now = new Date()): string {
  return [
    `From: Mail Gateway <MAILER-DAEMON@${hostname}>`,
    `To: ${to.map((a) => `<${a}>`).join(', ')}`,
    `Subject: Quarantined: ${headerText(held.subject.slice(0, 200))}`,
    `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${held.id}.quarantine@${hostname}>`,
    'Auto-Submitted: auto-generated',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    `A message was put in quarantine at ${hostname}.`,
    '',
    `  queue id:   ${held.id}`,
    `  reason:     ${oneLine(held.reason)}`,
    `  rule:       ${held.rule}`,
    ...(held.findings ?? []).map((f) => `  found:      ${oneLine(f)}`),
    `  sender:     <${held.sender}>`,
    `  recipients: ${held.recipients.join(', ')}`,
    `  client:     ${held.client}`,
    ...held.whereabouts,
    '',
  ].join('\r\n');
}
