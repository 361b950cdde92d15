import { deflateRawSync } from 'node:zlib';

/** One file of a zip built for a test; the optional fields craft what a tester crafted. */
export interface ZipEntry {
  name: string;
  data: Buffer;
  /** 0 stored, 8 deflate (default); any other is written with `data` as its packed bytes. */
  method?: number;
  /** The name in the local header, when it differs from the central directory's. */
  localName?: string;
  /** Extra fields, already encoded, in the central directory and in the local header. */
  extra?: Buffer;
  localExtra?: Buffer;
  /** Write sizes and offset as 0xffffffff with the real ones in a zip64 extra field. */
  zip64?: boolean;
}

/** How the end record is written. */
export interface ZipShape {
  /** Bytes before the first local header (an SFX stub, a polyglot's other file). */
  prepend?: Buffer;
  /** Offsets counted from the file's start rather than the zip's (what `zip -A` writes). */
  absolute?: boolean;
  /** The entry count the end record claims. */
  count?: number;
}

/** An extra field: id, length, data. */
export function extraField(id: number, data: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(id, 0);
  head.writeUInt16LE(data.length, 2);
  return Buffer.concat([head, data]);
}

function zip64Extra(size: number, packed: number, offset: number): Buffer {
  const data = Buffer.alloc(24);
  data.writeBigUInt64LE(BigInt(size), 0);
  data.writeBigUInt64LE(BigInt(packed), 8);
  data.writeBigUInt64LE(BigInt(offset), 16);
  return extraField(0x0001, data);
}

/** A zip built by hand: local headers, central directory, end record. */
export function buildZip(entries: ZipEntry[], shape: ZipShape = {}): Buffer {
  const prepend = shape.prepend ?? Buffer.alloc(0);
  const base = shape.absolute ? prepend.length : 0;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.method ?? 8;
    const packed = method === 8 ? deflateRawSync(e.data) : e.data;
    const name = Buffer.from(e.name);
    const localName = Buffer.from(e.localName ?? e.name);
    const localExtra = e.localExtra ?? Buffer.alloc(0);
    const extra = Buffer.concat([e.extra ?? Buffer.alloc(0), e.zip64 ? zip64Extra(e.data.length, packed.length, base + offset) : Buffer.alloc(0)]);
    const [size, csize, at] = e.zip64 ? [0xffffffff, 0xffffffff, 0xffffffff] : [e.data.length, packed.length, base + offset];
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(method, 8);
    local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(localName.length, 26); local.writeUInt16LE(localExtra.length, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 6); central.writeUInt16LE(method, 10);
    central.writeUInt32LE(csize, 20); central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28); central.writeUInt16LE(extra.length, 30); central.writeUInt32LE(at, 42);
    locals.push(local, localName, localExtra, packed);
    centrals.push(central, name, extra);
    offset += 30 + localName.length + localExtra.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  const count = shape.count ?? entries.length;
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(count, 8); end.writeUInt16LE(count, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(base + offset, 16);
  return Buffer.concat([prepend, ...locals, cd, end]);
}
