import { createHmac } from 'node:crypto';
import { hmacHex } from './hmac';

describe('hmacHex', () => {
  const secrets = ['', 'k', 'bench', 'x'.repeat(64), 'y'.repeat(65), 'schlüssel-ключ'.repeat(9)];
  const texts = ['', 'abc.123@mail.dimension.acme.example', 'caf\u00e9@h\u00f4te', '\u{1f600}'.repeat(40)];

  it.each(secrets)('equals createHmac for a secret of %#', (secret) => {
    for (const text of texts) {
      expect(hmacHex(secret, text)).toBe(createHmac('sha256', secret).update(text).digest('hex'));
    }
  });

  it('gives different values for different secrets', () => {
    expect(hmacHex('a', 'id@host')).not.toBe(hmacHex('b', 'id@host'));
  });
});
