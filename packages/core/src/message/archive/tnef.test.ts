import { Readable } from 'node:stream';
import { analyze } from '../analyze';
import { bufferSource } from './byte-source';
import { listTnef, TNEF_SIGNATURE } from './tnef';

function attribute(level: number, id: number, data: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head[0] = level;
  head.writeUInt32LE(id, 1);
  head.writeUInt32LE(data.length, 5);
  return Buffer.concat([head, data, Buffer.alloc(2)]);
}

/** A MAPI property block with one string property (type 0x1e, or 0x1f for UTF-16). */
function mapiString(id: number, text: string, unicode = false): Buffer {
  const value = Buffer.from(`${text}\0`, unicode ? 'utf16le' : 'latin1');
  const padded = Buffer.concat([value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
  const b = Buffer.alloc(16);
  b.writeUInt32LE(2, 0); // two properties: a fixed one first, to be skipped
  b.writeUInt16LE(0x0003, 4); b.writeUInt16LE(0x0e20, 6); b.writeUInt32LE(1234, 8);
  b.writeUInt16LE(unicode ? 0x001f : 0x001e, 12); b.writeUInt16LE(id, 14);
  const lengths = Buffer.alloc(8);
  lengths.writeUInt32LE(1, 0); lengths.writeUInt32LE(value.length, 4);
  return Buffer.concat([b, lengths, padded]);
}

function tnef(attachments: { title: string; longName?: string; data: Buffer }[]): Buffer {
  const start = Buffer.alloc(6);
  start.writeUInt32LE(TNEF_SIGNATURE, 0);
  const parts = [start, attribute(1, 0x00089006, Buffer.from([0, 0, 1, 0]))];
  for (const a of attachments) {
    parts.push(attribute(2, 0x00069002, Buffer.alloc(14)), attribute(2, 0x0006800f, a.data), attribute(2, 0x00018010, Buffer.from(`${a.title}\0`)));
    if (a.longName) parts.push(attribute(2, 0x00069005, mapiString(0x3707, a.longName, true)));
  }
  return Buffer.concat(parts);
}

/** A MAPI property block with a long file name (0x3707) and the file's bytes as PR_ATTACH_DATA_BIN (0x3701). */
function mapiNameAndData(name: string, data: Buffer, dataType = 0x0102): Buffer {
  const prop = (type: number, id: number, value: Buffer): Buffer => {
    const head = Buffer.alloc(12);
    head.writeUInt16LE(type, 0); head.writeUInt16LE(id, 2); head.writeUInt32LE(1, 4); head.writeUInt32LE(value.length, 8);
    return Buffer.concat([head, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
  };
  const count = Buffer.alloc(4);
  count.writeUInt32LE(2, 0);
  return Buffer.concat([count, prop(0x001e, 0x3707, Buffer.from(`${name}\0`, 'latin1')), prop(dataType, 0x3701, data)]);
}

describe('listTnef: the files Outlook shows from a winmail.dat', () => {
  it('lists each attachment with its title and its MAPI long file name', () => {
    const listing = listTnef(bufferSource(tnef([{ title: 'README.TXT', longName: 'invoice.pdf.exe', data: Buffer.from('MZ') }, { title: 'a.doc', data: Buffer.from('doc') }])), 1024);
    expect(listing.members.map((m) => [m.name, m.otherNames, m.size])).toEqual([['README.TXT', ['invoice.pdf.exe'], 2], ['a.doc', [], 3]]);
    expect(listing.members[0]!.content?.()).toEqual(Buffer.from('MZ'));
    expect(listing.problem).toBeUndefined();
  });

  it('takes damaged MAPI properties for no names, never for an error', () => {
    for (let cut = 0; cut < 40; cut++) {
      const mapi = mapiString(0x3707, 'evil.exe').subarray(0, cut);
      const whole = Buffer.concat([tnef([{ title: 'a.txt', data: Buffer.from('x') }]), attribute(2, 0x00069005, mapi)]);
      expect(listTnef(bufferSource(whole), 1024).members[0]!.name).toBe('a.txt');
    }
    const multi = Buffer.alloc(8);
    multi.writeUInt32LE(1, 0); multi.writeUInt16LE(0x1003, 4); // a multi-valued I4 with no count
    expect(() => listTnef(bufferSource(Buffer.concat([tnef([{ title: 'a.txt', data: Buffer.from('x') }]), attribute(2, 0x00069005, multi)])), 1024)).not.toThrow();
  });

  it('says when the stream is cut short', () => {
    const whole = tnef([{ title: 'x.exe', data: Buffer.alloc(100) }]);
    expect(listTnef(bufferSource(whole.subarray(0, whole.length - 60)), 1024).problem).toBe('TNEF stream is truncated');
  });
});

describe('analyze: a winmail.dat', () => {
  it('carries its files as archive members, under every name Outlook may show', async () => {
    const body = tnef([{ title: 'README.TXT', longName: 'invoice.pdf.exe', data: Buffer.from('MZ') }]).toString('base64');
    const message = `From: a@example.org\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: application/ms-tnef; name=winmail.dat\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}\r\n--B--\r\n`;
    const m = await analyze(Readable.from([Buffer.from(message)]));
    expect(m.parts.find((p) => p.inArchive)).toMatchObject({ carrier: '1', filenames: ['README.TXT', 'invoice.pdf.exe'], doubleExtension: true });
  });
});

describe('listTnef: a file kept among the MAPI properties (PR_ATTACH_DATA_BIN)', () => {
  it('is the member content when there is no attAttachData', () => {
    const start = Buffer.alloc(6);
    start.writeUInt32LE(TNEF_SIGNATURE, 0);
    const stream = Buffer.concat([start, attribute(2, 0x00069002, Buffer.alloc(14)), attribute(2, 0x00069005, mapiNameAndData('readme.txt', Buffer.from('MZ\x90\0', 'latin1')))]);
    const listing = listTnef(bufferSource(stream), 1024);
    expect(listing.members.map((m) => [m.name, m.size])).toEqual([['readme.txt', 4]]);
    expect(listing.members[0]!.content?.()).toEqual(Buffer.from('MZ\x90\0', 'latin1'));
    expect(listing.members[0]!.head?.()).toEqual(Buffer.from('MZ\x90\0', 'latin1'));
  });
});

describe('listTnef: an attached item (attach method 5, PR_ATTACH_DATA_OBJ)', () => {
  it('is a member whose content is the item\'s own TNEF stream, so its files are listed too (trial N)', async () => {
    const inner = tnef([{ title: 'EVIL.EXE', data: Buffer.from('MZ\x90\0', 'latin1') }]);
    const iid = Buffer.from('0703020000000000c000000000000046', 'hex'); // IID_IMessage
    const start = Buffer.alloc(6);
    start.writeUInt32LE(TNEF_SIGNATURE, 0);
    const outer = Buffer.concat([start, attribute(2, 0x00069002, Buffer.alloc(14)), attribute(2, 0x00069005, mapiNameAndData('Forwarded', Buffer.concat([iid, inner]), 0x000d))]);
    const listing = listTnef(bufferSource(outer), 1 << 20);
    expect(listing.members.map((m) => m.name)).toEqual(['Forwarded']);
    expect(listing.members[0]!.content?.()).toEqual(inner);
    const body = outer.toString('base64');
    const message = `From: a@example.org\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: application/ms-tnef; name=winmail.dat\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}\r\n--B--\r\n`;
    const m = await analyze(Readable.from([Buffer.from(message)]));
    expect(m.parts.map((p) => p.path)).toContain('1/Forwarded/EVIL.EXE');
  });

  it('lists an attachment with no name at all as Outlook shows it, so its content is still read (review)', () => {
    const start = Buffer.alloc(6);
    start.writeUInt32LE(TNEF_SIGNATURE, 0);
    const stream = Buffer.concat([start, attribute(2, 0x00069002, Buffer.alloc(14)), attribute(2, 0x0006800f, Buffer.from('MZ\x90\0', 'latin1'))]);
    const listing = listTnef(bufferSource(stream), 1024);
    expect(listing.members.map((m) => [m.name, m.size])).toEqual([['Untitled Attachment', 4]]);
    expect(listing.members[0]!.content?.()).toEqual(Buffer.from('MZ\x90\0', 'latin1'));
  });
});
