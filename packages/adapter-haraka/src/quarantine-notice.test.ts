import { quarantineNotice, type HeldMessage } from './quarantine-notice';

const HELD: HeldMessage = {
  id: 'AB12-CD34.1', reason: 'looks bad', rule: 'hold', sender: 'penny@example.org', recipients: ['al@acme.example'],
  subject: 'hello', client: '192.0.2.10', kept: { file: '/var/q/AB12-CD34.1' },
};
const AT = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));

it('has the gateway headers and says what was held, where', () => {
  expect(quarantineNotice(HELD, ['admin@acme.example'], 'mx.acme.example', AT).split('\r\n')).toEqual([
    'From: Mail Gateway <MAILER-DAEMON@mx.acme.example>',
    'To: <admin@acme.example>',
    'Subject: Quarantined: hello',
    'Date: Fri, 02 Jan 2026 03:04:05 +0000',
    'Message-ID: <AB12-CD34.1.quarantine@mx.acme.example>',
    'Auto-Submitted: auto-generated',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'A message was put in quarantine at mx.acme.example.',
    '',
    '  queue id:   AB12-CD34.1',
    '  reason:     looks bad',
    '  rule:       hold',
    '  sender:     <penny@example.org>',
    '  recipients: al@acme.example',
    '  client:     192.0.2.10',
    '  kept in:    /var/q/AB12-CD34.1',
    '',
  ]);
});

it('keeps a hostile Subject on one header line, and writes one that is not ASCII as encoded words', () => {
  const injected = quarantineNotice({ ...HELD, subject: 'hi\r\nBcc: victim@example.org' }, ['a@b.example'], 'mx', AT);
  expect(injected).toContain('Subject: Quarantined: hi Bcc: victim@example.org\r\n');
  expect(injected).not.toMatch(/^Bcc:/m);
  const subject = /^Subject: (.*(?:\r\n .*)*)/m.exec(quarantineNotice({ ...HELD, subject: 'Grüße aus Köln, ein sehr langer Betreff mit Umlauten äöü' }, ['a@b.example'], 'mx', AT))![1]!;
  expect(subject).toMatch(/^Quarantined: =\?utf-8\?B\?[^?]+\?=(\r\n =\?utf-8\?B\?[^?]+\?=)+$/);
  const words = subject.slice('Quarantined: '.length).split('\r\n ').map((w) => Buffer.from(w.slice(10, -2), 'base64').toString('utf8'));
  expect(words.join('')).toBe('Grüße aus Köln, ein sehr langer Betreff mit Umlauten äöü');
});

it('names the forward mailbox when the message was forwarded rather than kept', () => {
  expect(quarantineNotice({ ...HELD, kept: { forward: 'quarantine@acme.example' } }, ['a@b.example'], 'mx', AT)).toContain('  forwarded:  <quarantine@acme.example>\r\n');
});
