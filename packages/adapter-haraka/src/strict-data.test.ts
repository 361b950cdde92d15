import { bodyStart, clientHeaderViolation, strictDataViolation } from './strict-data';

const text = (b: Buffer): string | undefined => strictDataViolation(b)?.toString();

describe('strictDataViolation (the gateway strict DATA check)', () => {
  it('passes CRLF mail, a last line without CRLF and a line of exactly 998 octets', () => {
    expect(text(Buffer.from('Subject: x\r\n\r\nbody\r\n'))).toBeUndefined();
    expect(text(Buffer.from('Subject: x\r\n\r\nbody'))).toBeUndefined();
    expect(text(Buffer.from(`Subject: x\r\n\r\n${'a'.repeat(998)}\r\n`))).toBeUndefined();
  });
  it('refuses a NUL, a bare CR, a bare LF and a line of 999 octets with the gateway reply', () => {
    expect(text(Buffer.from('Subject: a\0b\r\n\r\nx\r\n'))).toBe('550 5.6.0 Message refused: a NUL byte in DATA; mail may not contain NUL');
    expect(text(Buffer.from('Subject: a\r\n\r\nx\ry\r\n'))).toBe('550 5.6.0 Message refused: a bare CR in DATA; lines must end in CRLF');
    expect(text(Buffer.from('Subject: a\r\n\r\nx\ny\r\n'))).toBe('550 5.6.0 Message refused: a bare LF in DATA; lines must end in CRLF');
    expect(text(Buffer.from(`Subject: a\r\n\r\n${'a'.repeat(999)}\r\n`))).toBe('550 5.6.0 Message refused: a line longer than 998 octets');
    expect(text(Buffer.from('x\r\n\r\nbody ends in a CR\r'))).toBe('550 5.6.0 Message refused: a bare CR in DATA; lines must end in CRLF');
  });
  it('checks line length only from lengthFrom (a long field another plugin added is not the client\'s)', () => {
    const msg = Buffer.from(`X-Added: ${'a'.repeat(1200)}\r\n\r\nbody\r\n`);
    expect(text(msg)).toContain('longer than 998');
    expect(strictDataViolation(msg, { lengthFrom: bodyStart(msg) })).toBeUndefined();
    expect(clientHeaderViolation([`X-Long: ${'a'.repeat(1000)}\n`])?.toString()).toBe('550 5.6.0 Message refused: a line longer than 998 octets');
    expect(clientHeaderViolation(['Subject: short\n'])).toBeUndefined();
  });

  it('refuses a bare CR or a NUL in the client\'s header lines, which Haraka folds away before plugins see the message', () => {
    const bareCR = '550 5.6.0 Message refused: a bare CR in DATA; lines must end in CRLF';
    expect(clientHeaderViolation(['From: a@b.example\n', 'Subject: cr\rin header\n'])?.toString()).toBe(bareCR);
    expect(clientHeaderViolation(['Subject: endcr\r\n'])?.toString()).toBe(bareCR);
    expect(clientHeaderViolation(['X-Test: a\rMAIL FROM:<x@y>\n'])?.toString()).toBe(bareCR);
    expect(clientHeaderViolation(['X-Test: a\0b\n'])?.toString()).toContain('NUL');
    expect(clientHeaderViolation(['Subject: fine\n', ' folded\n'])).toBeUndefined();
  });

  it('names the first offending octet', () => {
    expect(text(Buffer.from('a\rb\0c\r\n'))).toContain('bare CR');
    expect(text(Buffer.from('a\0b\rc\r\n'))).toContain('NUL');
  });
});
