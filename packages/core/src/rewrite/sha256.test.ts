import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { digestInto, INITIAL_STATE } from './sha256';
import { hmacHex } from './hmac';

const sha256 = (data: Uint8Array): string => Buffer.from(digestInto(INITIAL_STATE, 0, data, new Uint8Array(32))).toString('hex');

describe('sha256', () => {
  it('gives the FIPS 180-4 example digests', () => {
    expect(sha256(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256(Buffer.alloc(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('equals node:crypto for every length across the padding edges (0 to 200 octets)', () => {
    for (let n = 0; n <= 200; n++) {
      const data = Buffer.alloc(n, n & 0xff);
      expect(sha256(data)).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('leaves the state it starts from as it was', () => {
    const before = Array.from(INITIAL_STATE);
    sha256(Buffer.alloc(130, 1));
    expect(Array.from(INITIAL_STATE)).toEqual(before);
  });

  it('equals node:crypto on arbitrary octets, and the HMAC on arbitrary text and keys', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ maxLength: 90 }), (data, text, secret) => {
        expect(sha256(data)).toBe(createHash('sha256').update(data).digest('hex'));
        expect(hmacHex(secret, text)).toBe(createHmac('sha256', secret).update(text).digest('hex'));
      }),
      { numRuns: 300 },
    );
  });
});
