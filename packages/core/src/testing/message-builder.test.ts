import { buildMessage } from './message-builder';
import { envelopeFromHeaders, addressesIn } from './envelope-from-message';

describe('buildMessage', () => {
  test('builds a CRLF message with the attachments named and encoded', () => {
    const text = buildMessage({
      headers: { Subject: 'hi', To: 'bob@acme.example' },
      text: 'Hello',
      attachments: [{ name: 'junk.bat', type: 'text/plain', content: '@echo off' }],
    }).toString('utf8');
    expect(text).toMatch(/^From: sender@example\.net\r\nTo: bob@acme\.example\r\nSubject: hi\r\n/);
    expect(text).toContain('Content-Type: multipart/mixed; boundary="=_mailward_mixed"');
    expect(text).toContain('Content-Disposition: attachment; filename="junk.bat"');
    expect(text).toContain(Buffer.from('@echo off').toString('base64'));
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(text.endsWith('--=_mailward_mixed--\r\n')).toBe(true);
  });

  test('text and html make an alternative part', () => {
    const text = buildMessage({ text: 'a', html: '<p>a</p>' }).toString();
    expect(text).toContain('multipart/alternative');
    expect(text).toContain('text/html; charset=utf-8');
  });

  test('names outside ASCII are RFC 2047 words; size makes filler', () => {
    const text = buildMessage({ attachments: [{ name: 'résumé.pdf', type: 'application/pdf', size: 3000 }] }).toString();
    expect(text).toContain(`filename="=?utf-8?B?${Buffer.from('résumé.pdf').toString('base64')}?="`);
    const body = text.split('filename=')[1].split('\r\n\r\n')[1].split('\r\n--')[0].replace(/\r\n/g, '');
    expect(Buffer.from(body, 'base64')).toHaveLength(3000);
  });

  test('ASCII text with short lines goes as 7bit, other text as quoted-printable (trial39)', () => {
    const plain = buildMessage({ text: 'the body text here' }).toString();
    expect(plain).toContain('Content-Transfer-Encoding: 7bit\r\n\r\nthe body text here\r\n');
    const other = buildMessage({ text: `café ${'x'.repeat(100)}\nFrom me\n.` }).toString();
    expect(other).toContain('Content-Transfer-Encoding: quoted-printable');
    const body = other.split('quoted-printable\r\n\r\n')[1];
    expect(body.split('\r\n').every((l) => l.length <= 76)).toBe(true);
    const decoded = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    expect(Buffer.from(decoded, 'latin1').toString('utf8')).toBe(`café ${'x'.repeat(100)}\r\nFrom me\r\n.\r\n`);
  });

  test('the same spec builds the same bytes', () => {
    const spec = { text: 'x', attachments: [{ name: 'a.bin', size: 100 }] };
    expect(buildMessage(spec).equals(buildMessage(spec))).toBe(true);
  });
});

describe('envelopeFromHeaders', () => {
  const h = (name: string, value: string) => ({ name, value, decoded: value });

  test('sender from From, recipients from To and Cc', () => {
    const env = envelopeFromHeaders([
      h('From', '"Smith, Al" <al@example.net>'),
      h('To', 'Bob <bob@acme.example>, carol@acme.example'),
      h('Cc', 'team: dave@acme.example, bob@acme.example;'),
    ]);
    expect(env).toEqual({ from: 'al@example.net', to: ['bob@acme.example', 'carol@acme.example', 'dave@acme.example'] });
  });

  test('quoted names and comments holding @ are not addresses', () => {
    expect(addressesIn('"x@y" <real@acme.example> (old@acme.example)')).toEqual(['real@acme.example']);
  });

  // A complexity guard (eval and replay read what anyone sent): a scan quadratic in the length
  // takes minutes here and fails at jest's timeout; `npm run bench:adversarial` measures it.
  test('a long word before the address takes no time', () => {
    expect(addressesIn(`${'a'.repeat(400_000)} <real@acme.example>`)).toEqual(['real@acme.example']);
  });
});
