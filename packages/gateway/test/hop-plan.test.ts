/**
 * An ASCII message (the spool's `ascii`: every octet received and every effect's text) is fitted
 * to a hop without reading it or asking the hop anything: the outgoing stream is opened once,
 * to send it, however few extensions the hop offers.
 */
import { Readable } from 'node:stream';
import { planFor, type OutgoingMessage } from '../src/delivery/hop-plan';
import { MessageOctets } from '../src/delivery/message-octets';

function message(ascii: boolean, to: string[], text = 'Subject: hi\r\n\r\nplain\r\n'): OutgoingMessage & { opened: number } {
  const m = { sender: 'a@example.org', recipients: to, eightBit: false, ascii, opened: 0 } as OutgoingMessage & { opened: number };
  m.open = () => {
    m.opened++;
    return Readable.from([Buffer.from(text, 'utf8')]);
  };
  m.octets = new MessageOctets(m.open);
  return m;
}

const neither = { eightBitMime: false, smtpUtf8: false };

describe('planFor', () => {
  it('reads nothing and asks nothing for an ASCII message, even to a hop known to offer neither extension', async () => {
    const m = message(true, ['b@acme.example']);
    const asked = jest.fn(async () => neither);
    const plan = await planFor(m, 'hub', undefined, asked);
    expect(plan).toMatchObject({ send: ['b@acme.example'], refused: [], form: 'as-is' });
    expect(plan.open).toBe(m.open);
    expect(asked).not.toHaveBeenCalled();
    expect(m.opened).toBe(0);
    await planFor(m, 'hub', neither, asked);
    expect(m.opened).toBe(0);
  });

  it('still reads a message the spool cannot vouch for, to a hop that lacks SMTPUTF8', async () => {
    const m = message(false, ['b@acme.example']);
    await planFor(m, 'hub', neither, async () => neither);
    expect(m.opened).toBeGreaterThan(0);
  });

  it('still refuses a UTF-8 local part for an ASCII message to a hop without SMTPUTF8', async () => {
    const m = message(true, ['jörg@acme.example', 'b@acme.example']);
    const plan = await planFor(m, 'hub', neither, async () => neither);
    expect(plan.send).toEqual(['b@acme.example']);
    expect(plan.refused).toEqual([expect.objectContaining({ address: 'jörg@acme.example', status: '5.6.7' })]);
  });
});
