/** MessageOctets tells 8-bit headers from 8-bit bodies, however the message is cut into chunks. */
import { Readable } from 'node:stream';
import { MessageOctets } from '../src/delivery/message-octets';

const octets = (message: string, size: number): MessageOctets => {
  const bytes = Buffer.from(message, 'utf8');
  return new MessageOctets(() => {
    const pieces: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += size) pieces.push(bytes.subarray(i, i + size));
    return Readable.from(pieces);
  });
};

it.each([1, 2, 3, 5, 1000])('finds where the header section ends in chunks of %i', async (size) => {
  const cases: [string, boolean, boolean][] = [
    ['Subject: ascii\r\n\r\nGrüße\r\n', false, true],
    ['Subject: Grüße\r\n\r\nhello\r\n', true, false],
    ['Subject: Grüße\r\n\r\nGrüße\r\n', true, true],
    ['\r\nGrüße\r\n', false, true], // no header field at all
    ['Subject: no body, Grüße\r\n', true, false],
    ['Subject: ascii\r\n\r\nascii\r\n', false, false],
  ];
  for (const [message, header, body] of cases) {
    expect([message, await octets(message, size).headerIs8bit(), await octets(message, size).bodyIs8bit()]).toEqual([message, header, body]);
    const both = octets(message, size);
    expect([await both.bodyIs8bit(), await both.headerIs8bit()]).toEqual([body, header]);
  }
});

it('reads the message once for both answers', async () => {
  let opened = 0;
  const o = new MessageOctets(() => {
    opened++;
    return Readable.from([Buffer.from('Subject: x\r\n\r\nbody\r\n')]);
  });
  await Promise.all([o.bodyIs8bit(), o.headerIs8bit(), o.bodyIs8bit()]);
  expect(opened).toBe(1);
});
