/** A DSN's Message-ID is its own: two bounces of one message never share one, a redone bounce keeps its. */
import { Readable } from 'node:stream';
import { buildDsn, type FailedRecipient } from '../src/delivery/dsn';
import { sentHeaders } from '../src/delivery/sent-headers';
import { dsnParts } from './support/dsn-parts';

const dsn = (failed: FailedRecipient[]): string =>
  buildDsn({ reportingMta: 'gw.test', id: 'Q1', to: 'fred@example.net', arrival: 0, failed, headers: Buffer.from('Subject: s') }).toString();
const messageId = (text: string): string => /^Message-ID: (.*)$/m.exec(text)![1]!.trim();

const refused = { address: 'nobody@acme.example', detail: '550 5.1.1 No such user', status: '5.1.1', remoteMta: 'hub.acme.example' };
const expired = { address: 'later@acme.example', detail: 'could not be delivered in time: 451 4.2.1 Try later', status: '4.4.7', remoteMta: '10.0.0.5' };

it('gives the refusal now and the expiry later different Message-IDs', () => {
  expect(messageId(dsn([refused]))).not.toBe(messageId(dsn([expired])));
  expect(messageId(dsn([refused]))).toMatch(/^<Q1\.[0-9a-f]{12}\.dsn@gw\.test>$/);
});

it('gives the same bounce, queued again after a crash, the same Message-ID', () => {
  expect(messageId(dsn([refused, expired]))).toBe(messageId(dsn([expired, refused])));
});

it('puts the next hop\'s SMTP reply in a Diagnostic-Code of type smtp, and the gateway\'s own findings in X-Mailward', () => {
  const text = dsn([
    refused,
    expired,
    { address: 'x@nowhere.test', detail: 'nowhere.test: no such domain (DNS: NXDOMAIN)', status: '5.1.2' },
    { address: 'y@acme.example', detail: 'could not be delivered in time: 127.0.0.1:25: connect ECONNREFUSED 127.0.0.1:25', status: '4.4.7' },
  ]);
  // A next hop's answer names that hop (Remote-MTA, RFC 3464 2.3.5); the gateway's own finding names none.
  expect(text).toContain('Final-Recipient: rfc822; nobody@acme.example\r\nAction: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; hub.acme.example\r\nDiagnostic-Code: smtp; 550 5.1.1 No such user\r\n');
  expect(text).toContain('Final-Recipient: rfc822; later@acme.example\r\nAction: failed\r\nStatus: 4.4.7\r\nRemote-MTA: dns; 10.0.0.5\r\nDiagnostic-Code: smtp; 451 4.2.1 Try later\r\n');
  expect(text).toContain('Status: 5.1.2\r\nDiagnostic-Code: X-Mailward; nowhere.test: no such domain (DNS: NXDOMAIN)\r\n');
  // Folded at white space within 78 octets (dsn-lines.test.ts): read back, the same text.
  expect(text).toContain('Diagnostic-Code: X-Mailward; could not be delivered in time: 127.0.0.1:25:\r\n connect ECONNREFUSED 127.0.0.1:25\r\n');
  // The readable part keeps the whole story.
  expect(text).toContain('  <later@acme.example>: could not be delivered in time: 451 4.2.1 Try later\r\n');
});

it('gives each recipient the time of the last attempt when it is known', () => {
  const text = buildDsn({ reportingMta: 'gw.test', id: 'Q1', to: 'fred@example.net', arrival: 0, lastAttempt: Date.UTC(2026, 11, 1, 16, 30, 0), failed: [refused], headers: Buffer.from('Subject: s') }).toString();
  expect(text).toContain('Diagnostic-Code: smtp; 550 5.1.1 No such user\r\nLast-Attempt-Date: Tue, 01 Dec 2026 16:30:00 +0000\r\n');
  expect(dsn([refused])).not.toContain('Last-Attempt-Date');
});

it('declares its readable part 8bit when a reply or an address in it is not ASCII, and only then', () => {
  const text = dsn([{ address: 'jürgen@acme.example', detail: '550 5.1.1 Unbekannter Empfänger', status: '5.1.1' }]);
  expect(text).toMatch(/Content-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nThis is the mail gateway/);
  expect(dsn([refused])).not.toContain('Content-Transfer-Encoding');
});

it('quotes headers in raw UTF-8 as their bytes, in a message/global-headers part declared 8bit (RFC 6533)', async () => {
  const headers = await sentHeaders(Readable.from([Buffer.from('Subject: Grüße aus Köln\r\nFrom: jürgen@acme.example\r\n\r\nHallo\r\n')]));
  const out = buildDsn({ reportingMta: 'gw.test', id: 'Q1', to: 'fred@example.net', arrival: 0, failed: [refused], headers });
  // Read back as UTF-8, not as the UTF-8 of each byte taken for a latin1 character ("GrÃ¼Ã\u009fe").
  expect(out.toString('utf8')).toMatch(/Content-Type: message\/global-headers\r\nContent-Transfer-Encoding: 8bit\r\n\r\nSubject: Grüße aus Köln\r\nFrom: jürgen@acme\.example\r\n\r\n--/);
  expect(dsn([refused])).toMatch(/Content-Type: text\/rfc822-headers\r\n\r\nSubject: s\r\n\r\n--=_mw_\w+--\r\n$/);
  // Raw 8-bit octets that are not UTF-8 (an 8BITMIME client's latin1) are no message/global-headers.
  const latin1 = buildDsn({ reportingMta: 'gw.test', id: 'Q1', to: 'fred@example.net', arrival: 0, failed: [refused], headers: Buffer.from('Subject: Gr\xfc\xdfe\r\n', 'latin1') });
  expect(latin1.toString('latin1')).toContain('Content-Type: text/rfc822-headers\r\nContent-Transfer-Encoding: 8bit\r\n\r\nSubject: Gr\xfc\xdfe\r\n');
});

/** Each part as a reader splits it, and whether it holds 8-bit octets. */
async function splitDsn(out: Buffer): Promise<{ type: string; encoding: string; eightBit: boolean; body: string }[]> {
  return (await dsnParts(out)).map((p) => ({ type: p.type, encoding: p.encoding, eightBit: Buffer.concat([p.header, p.body]).some((b) => b >= 0x80), body: p.body.toString('utf8') }));
}

it('reports a UTF-8 recipient in message/global-delivery-status with the utf-8 address type, 8bit, and ASCII ones as before (RFC 6533)', async () => {
  const utf8 = [{ address: 'ü@example.net', detail: '550 5.1.1 no such user', status: '5.1.1' }, { address: 'user@bücher.example', detail: '550 5.1.1 Unbekannter Empfänger', status: '5.1.1' }];
  const built = buildDsn({ reportingMta: 'gw.test', id: 'Q1', to: 'fred@example.net', arrival: 0, failed: [refused, ...utf8], headers: Buffer.from('Subject: s') });
  // RFC 6522: the report-type names the second part's subtype (trial: it said delivery-status).
  expect(built.toString('latin1')).toContain('Content-Type: multipart/report; report-type=global-delivery-status;\r\n');
  const parts = await splitDsn(built);
  expect(parts.map((p) => p.type)).toEqual(['multipart/report', 'text/plain', 'message/global-delivery-status', 'text/rfc822-headers']);
  const status = parts[2]!;
  expect(status.encoding).toBe('8bit');
  expect(status.body).toContain('Final-Recipient: rfc822; nobody@acme.example\r\n');
  expect(status.body).toContain('Final-Recipient: utf-8; ü@example.net\r\n');
  expect(status.body).toContain('Final-Recipient: utf-8; user@bücher.example\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 Unbekannter Empfänger\r\n');
  // 8-bit octets only in the parts declared 8bit.
  for (const p of parts) if (p.eightBit) expect(p.encoding).toBe('8bit');
  const asciiDsn = buildDsn({ reportingMta: 'gw.test', id: 'Q1', to: 'fred@example.net', arrival: 0, failed: [refused], headers: Buffer.from('Subject: s') });
  expect(asciiDsn.toString('latin1')).toContain('Content-Type: multipart/report; report-type=delivery-status;\r\n');
  const ascii = await splitDsn(asciiDsn);
  expect(ascii.map((p) => p.type)).toEqual(['multipart/report', 'text/plain', 'message/delivery-status', 'text/rfc822-headers']);
  expect(ascii.some((p) => p.eightBit || p.encoding !== '7bit')).toBe(false);
});
