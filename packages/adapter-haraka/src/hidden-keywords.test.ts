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
    expect(refuseParameters({ RET: 'HDRS' }, hidden)).toMatchObject({ code: 555 });
    expect(refuseParameters({ notify: 'NEVER' }, hidden)).toMatchObject({ code: 555 });
    expect(refuseParameters({ SIZE: '100' }, hidden)).toBeUndefined();
    expect(refuseParameters(undefined, hidden)).toBeUndefined();
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
