import { refuseCommand, refuseNonAscii, refuseParameters, withoutHidden } from './hidden-keywords';

describe('hidden ESMTP keywords', () => {
  const hidden = new Set(['DSN', 'AUTH', 'ETRN']);

  it('removes hidden keywords from the EHLO lines, whatever their arguments', () => {
    const lines = ['mx Hello', 'PIPELINING', '8BITMIME', 'SIZE 1000', 'AUTH PLAIN LOGIN', 'STARTTLS'];
    expect(withoutHidden(lines, hidden)).toEqual(['mx Hello', 'PIPELINING', '8BITMIME', 'SIZE 1000', 'STARTTLS']);
  });

  it('refuses the commands of a hidden extension, and only those', () => {
    expect(refuseCommand('auth', hidden)).toMatchObject({ code: 502, reply: '5.5.1 AUTH is not offered here' });
    expect(refuseCommand('ETRN', hidden)?.code).toBe(502);
    expect(refuseCommand('STARTTLS', hidden)).toBeUndefined();
    expect(refuseCommand('NOOP', hidden)).toBeUndefined();
  });

  it('refuses MAIL/RCPT parameters of a hidden extension', () => {
    expect(refuseParameters('MAIL', { RET: 'HDRS' }, hidden)).toMatchObject({ code: 555 });
    expect(refuseParameters('RCPT', { notify: 'NEVER' }, hidden)).toMatchObject({ code: 555 });
    expect(refuseParameters('MAIL', { SIZE: '100' }, hidden)).toBeUndefined();
    expect(refuseParameters('MAIL', undefined, hidden)).toBeUndefined();
  });

  it('refuses, as the gateway does, a parameter no extension in the EHLO reply takes (trial H)', () => {
    const ehlo = ['mx.acme.example Hello client', 'PIPELINING', '8BITMIME', 'SMTPUTF8', 'SIZE 1048576', 'XFOO'];
    const none = new Set<string>();
    expect(refuseParameters('MAIL', { XYZZY: '1' }, none, ehlo)?.toString()).toBe('555 5.5.4 Parameter not supported: XYZZY= (no extension offered here takes it)');
    expect(refuseParameters('MAIL', { RET: 'HDRS' }, none, ehlo)?.toString()).toBe('555 5.5.4 Parameter not supported: RET= (DSN is not offered here)');
    expect(refuseParameters('RCPT', { NOTIFY: 'NEVER' }, none, ehlo)?.toString()).toBe('555 5.5.4 Parameter not supported: NOTIFY= (DSN is not offered here)');
    expect(refuseParameters('MAIL', { AUTH: '<>' }, none, ehlo)?.code).toBe(555);
    // Offered ones, and one a plugin offered: taken.
    expect(refuseParameters('MAIL', { SIZE: '100', BODY: '8BITMIME', SMTPUTF8: null, XFOO: 'x' }, none, ehlo)).toBeUndefined();
    expect(refuseParameters('MAIL', { AUTH: '<>' }, none, [...ehlo, 'AUTH PLAIN LOGIN'])).toBeUndefined();
  });

  it('makes an object Haraka takes as a DSN (its code replaces the hook default)', () => {
    expect(refuseCommand('AUTH', hidden)?.constructor.name).toBe('DSN');
  });

  it('refuses a non-ASCII address 553 5.6.7 only when SMTPUTF8 is hidden', () => {
    expect(refuseNonAscii('jö@example.org', new Set(['SMTPUTF8']))?.toString()).toBe(
      '553 5.6.7 Non-ASCII address not permitted: SMTPUTF8 is not offered here',
    );
    expect(refuseNonAscii('jo@example.org', new Set(['SMTPUTF8']))).toBeUndefined();
    expect(refuseNonAscii('jö@example.org', hidden)).toBeUndefined();
  });
});
