import { BodyDecoder } from './body-decoder';

/** Decode `text` fed in pieces of `size` bytes. */
function decode(text: string, size: number): { bytes: Buffer; problem: string | undefined } {
  const decoder = new BodyDecoder('base64');
  const raw = Buffer.from(text, 'latin1');
  const out: Buffer[] = [];
  for (let i = 0; i < raw.length; i += size) out.push(decoder.write(raw.subarray(i, i + size)));
  out.push(decoder.end());
  return { bytes: Buffer.concat(out), problem: decoder.problem };
}

describe('BodyDecoder, base64', () => {
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) % 256));
  const folded = `${data.toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`;

  it.each([3, 77, 78, 4096])('decodes a folded body the same in pieces of %i bytes', (size) => {
    expect(decode(folded, size)).toEqual({ bytes: data, problem: undefined });
  });

  it.each([
    ['a character outside the alphabet, which is dropped', 'QUJD!REVG\r\n', 'ABCDEF', 'base64 body has characters outside the alphabet'],
    ['a truncated body', 'QUJDR\r\n', 'ABC', 'base64 body is truncated'],
  ])('reports %s', (_what, text, decoded, problem) => {
    for (const size of [1, 5, 100]) expect(decode(text, size)).toEqual({ bytes: Buffer.from(decoded), problem });
  });

  it.each([1, 2, 3, 5, 6, 7, 100])('reports data after the padding, decoded quartet by quartet, in pieces of %i bytes', (size) => {
    // In pieces that end before the foreign characters, the padding is the first problem seen.
    const first = size <= 7 ? 'base64 body goes on after its padding' : 'base64 body has characters outside the alphabet';
    expect(decode('QUI=\r\nQUJD\r\n!!QUJD\r\n', size)).toEqual({ bytes: Buffer.from('ABABCABC'), problem: first });
    expect(decode('QUI=QUJDQQ==QUJD', size)).toEqual({ bytes: Buffer.from('ABABCAABC'), problem: 'base64 body goes on after its padding' });
  });

  it('takes padding split between pieces as padding, wherever the split falls', () => {
    for (const length of [1000, 998]) {
      const bytes = data.subarray(0, length); // ends in == and in =
      expect(bytes.toString('base64')).toMatch(length === 1000 ? /[^=]==$/ : /[^=]=$/);
      const text = `${bytes.toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`;
      for (const size of [1, 2, 3, 5, 77, 78, 79]) expect(decode(text, size)).toEqual({ bytes, problem: undefined });
    }
  });
});
