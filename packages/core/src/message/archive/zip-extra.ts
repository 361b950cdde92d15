/** What a zip entry's extra fields change: the name extractors use, and zip64's real numbers. */
export interface ZipExtra {
  /** Info-ZIP Unicode Path (0x7075): unzip and 7-Zip save the file under this name. */
  unicodePath?: string;
  size?: number;
  compressed?: number;
  offset?: number;
}

const ESCAPED = 0xffffffff;

/**
 * Read an extra field block. `stored` are the 32-bit numbers of the header: zip64 (0x0001)
 * holds, in order, only those written as 0xffffffff. The Unicode Path is taken whatever its
 * CRC says: a name some extractor may use is a name the policy must see.
 */
export function readZipExtra(extra: Buffer, stored: { size: number; compressed: number; offset?: number }): ZipExtra {
  const out: ZipExtra = {};
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const data = extra.subarray(at + 4, at + 4 + extra.readUInt16LE(at + 2));
    at += 4 + data.length;
    if (id === 0x7075 && data.length > 5 && data[0] === 1) out.unicodePath = data.subarray(5).toString('utf8');
    if (id === 0x0001) {
      const wanted = (['size', 'compressed', 'offset'] as const).filter((k) => stored[k] === ESCAPED);
      wanted.forEach((key, i) => {
        if (8 * i + 8 <= data.length) out[key] = Number(data.readBigUInt64LE(8 * i));
      });
    }
  }
  return out;
}
