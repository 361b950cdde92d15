/** A DSN's Message-ID is its own: two bounces of one message never share one, a redone bounce keeps its. */
import { Readable } from 'node:stream';
import { buildDsn, type FailedRecipient } from '../src/delivery/dsn';
import { sentHeaders } from '../src/delivery/sent-headers';

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
  expect(text).toContain('Diagnostic-Code: X-Mailward; could not be delivered in time: 127.0.0.1:25: connect ECONNREFUSED 127.0.0.1:25\r\n');
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

it('quotes headers in raw UTF-8 as their bytes, in a part declared 8bit', async () => {
  const headers = await sentHeaders(Readable.from([Buffer.from('Subject: Grüße aus Köln\r\nFrom: jürgen@acme.example\r\n\r\nHallo\r\n')]));
  const out = buildDsn({ reportingMta: 'gw.test', id: 'Q1', to: 'fred@example.net', arrival: 0, failed: [refused], headers });
  // Read back as UTF-8, not as the UTF-8 of each byte taken for a latin1 character ("GrÃ¼Ã\u009fe").
  expect(out.toString('utf8')).toMatch(/Content-Type: text\/rfc822-headers\r\nContent-Transfer-Encoding: 8bit\r\n\r\nSubject: Grüße aus Köln\r\nFrom: jürgen@acme\.example\r\n\r\n--/);
  expect(dsn([refused])).toMatch(/Content-Type: text\/rfc822-headers\r\n\r\nSubject: s\r\n\r\n--=_mw_\w+--\r\n$/);
});
