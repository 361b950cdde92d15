import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bufferSource } from '../archive/byte-source';
import { BerReader } from './ber';
import { looksLikeCms, readCms, type CmsReading } from './cms';

const fixture = (name: string): Buffer => readFileSync(join(__dirname, '__fixtures__', name));
const limits = { memory: 1 << 16, hard: 1 << 20, depth: 100 };

/** A reading with its content as text. */
type Said = { kind: CmsReading['kind']; type?: string; problem?: string; limit?: string; text?: string };

/** What a reading says, with its content as text (the spool disposed of). */
function read(bytes: Buffer): Said {
  const found = readCms(bufferSource(bytes), limits);
  if (found.kind !== 'content' || !found.content) return found;
  const { content, ...rest } = found;
  const src = content.source()!;
  const text = src.read(0, src.length).toString('latin1');
  content.dispose();
  return { ...rest, text };
}

const tlv = (tag: string, body: Buffer | string, indefinite = false): Buffer => {
  const b = typeof body === 'string' ? Buffer.from(body, 'hex') : body;
  if (indefinite) return Buffer.concat([Buffer.from(tag + '80', 'hex'), b, Buffer.from('0000', 'hex')]);
  const len = b.length < 0x80 ? Buffer.from([b.length]) : Buffer.from([0x82, b.length >> 8, b.length & 0xff]);
  return Buffer.concat([Buffer.from(tag, 'hex'), len, b]);
};
const signed = (octets: Buffer, indefinite = false): Buffer => tlv('30', Buffer.concat([
  Buffer.from('06092a864886f70d010702', 'hex'),
  tlv('a0', tlv('30', Buffer.concat([
    Buffer.from('020101', 'hex'), tlv('31', ''),
    tlv('30', Buffer.concat([Buffer.from('06092a864886f70d010701', 'hex'), tlv('a0', octets, indefinite)]), indefinite),
    tlv('31', ''),
  ]), indefinite), indefinite),
]), indefinite);

describe('readCms', () => {
  it('knows CMS by its first bytes, DER or BER, and nothing else', () => {
    for (const f of ['exe-signed.der', 'exe-signed-stream.der', 'enveloped.der', 'detached.der']) expect(looksLikeCms(fixture(f))).toBe(true);
    expect(looksLikeCms(Buffer.from('3003020101', 'hex'))).toBe(false);
    expect(looksLikeCms(Buffer.from('PK\x03\x04'))).toBe(false);
  });

  it('joins a constructed OCTET STRING\'s segments, nested and in either length form (X.690 8.7.3)', () => {
    const segments = Buffer.concat([tlv('04', Buffer.from('Subj')), tlv('24', Buffer.concat([tlv('04', Buffer.from('ect: ')), tlv('04', Buffer.from('hi'))]), true), tlv('04', '')]);
    for (const indefinite of [false, true]) {
      expect(read(signed(tlv('24', segments, indefinite), indefinite))).toEqual({ kind: 'content', type: 'signed-data', text: 'Subject: hi' });
    }
  });

  it('gives no content for a detached signature, and no content for enveloped data but that it is encrypted', () => {
    expect(read(fixture('detached.der'))).toEqual({ kind: 'content', type: 'signed-data' });
    expect(read(fixture('enveloped.der'))).toEqual({ kind: 'encrypted', type: 'enveloped-data' });
  });

  it('refuses what is not CMS, and a child longer than its parent', () => {
    expect(read(Buffer.from('garbage'))).toMatchObject({ kind: 'damaged' });
    expect(read(Buffer.from('3003060100', 'hex'))).toMatchObject({ kind: 'damaged', problem: 'a content type that is not CMS' });
    const liar = signed(tlv('04', Buffer.from('Subject: hi')));
    liar[liar.indexOf(Buffer.from('06092a864886f70d010701', 'hex')) + 1] = 0x30; // the eContentType OID
    expect(read(liar)).toMatchObject({ kind: 'damaged', problem: expect.stringMatching(/runs past the end of the one holding it/) });
  });

  it('walks deep indefinite nesting a bounded number of times, not once per level', () => {
    const flat = Buffer.from('0400'.repeat(10_000), 'hex');
    let octets = tlv('24', flat, true);
    for (let i = 0; i < 90; i++) octets = tlv('24', octets, true);
    const elements = jest.spyOn(BerReader.prototype, 'element');
    expect(read(signed(octets, true))).toEqual({ kind: 'content', type: 'signed-data', text: '' });
    // The content is read once to be copied and once more to check the whole ends as it should.
    expect(elements.mock.calls.length).toBeLessThan(3 * 10_100);
    elements.mockRestore();
  });

  // A small deterministic generator, so that a failure can be run again.
  function* flips(seed: number, count: number): Generator<number> {
    let x = seed;
    for (let i = 0; i < count; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      yield x;
    }
  }

  it.each(['exe-signed.der', 'exe-signed-stream.der', 'exe-signed.pem'].map((f) => [f]))('%s cut anywhere or with bytes changed is read or damaged, never an error', (file) => {
    const whole = fixture(file);
    const readable = (found: ReturnType<typeof read>): boolean => found.kind === 'damaged' || found.kind === 'content' || found.kind === 'deep';
    for (let cut = 0; cut < whole.length; cut += 5) {
      const found = read(whole.subarray(0, cut));
      expect(readable(found)).toBe(true);
      if (found.kind === 'content' && file !== 'exe-signed.pem') expect(found.problem).toBeDefined();
    }
    for (const r of flips(whole.length, 500)) {
      const bad = Buffer.from(whole);
      bad[r % bad.length] = (r >>> 8) & 0xff;
      expect(() => read(bad)).not.toThrow();
    }
  });
});
