/** The quarantine notice's Subject is a valid header whatever the quarantined message's Subject held. */
import { quarantineNotice } from '../src/delivery/quarantine-notice';
import type { QueueRecord } from '../src/spool/queue-record';

const record = {
  id: 'Q1', createdAt: 0, client: { ip: '192.0.2.1', tls: false, authenticated: false }, sender: 'a@example.org',
  recipients: [{ address: 'b@acme.example', state: 'pending' }], effects: [], verdict: 'quarantine', fired: ['q'],
  quarantine: { reason: 'held', notify: ['admin@acme.example'] }, attempts: 0, nextAttempt: 0, size: 1, sha256: '',
} as unknown as QueueRecord;
const headerOf = (subject: string): string => {
  const text = quarantineNotice(record, ['admin@acme.example'], 'gw.test', subject, '/spool').toString('utf8');
  return text.slice(0, text.indexOf('\r\n\r\n'));
};
const subjectOf = (head: string): string => /^Subject: (.*(?:\r\n .*)*)$/m.exec(head)![1]!;
const decoded = (value: string): string => value.split('\r\n ').map((w) => {
  const m = /^=\?utf-8\?B\?([A-Za-z0-9+/=]+)\?=$/.exec(w);
  return m ? Buffer.from(m[1]!, 'base64').toString('utf8') : w;
}).join('');

it('writes an ASCII subject as it is', () => {
  expect(subjectOf(headerOf('Invoice 42'))).toBe('Quarantined: Invoice 42');
});

it('encodes a subject that is not ASCII as UTF-8 encoded words, none over 75 octets, and no raw 8-bit octet in the header', () => {
  const subject = 'Grüße aus Köln — Rechnung für März ✓ '.repeat(3);
  const head = headerOf(subject);
  expect(head).toMatch(/^[\x20-\x7e\r\n]*$/);
  const value = subjectOf(head);
  for (const word of value.replace(/^Quarantined: /, '').split('\r\n ')) expect(word.length).toBeLessThanOrEqual(75);
  expect(decoded(value.replace(/^Quarantined: /, ''))).toBe(subject);
});

it('takes control characters out (a decoded encoded word can hold a CR, LF or NUL)', () => {
  const head = headerOf('hello\r\nBcc: evil@example.org\u0000x');
  expect(head).not.toMatch(/^Bcc:/m);
  expect(subjectOf(head)).toBe('Quarantined: hello Bcc: evil@example.org x');
});
