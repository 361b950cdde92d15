/** Anything but the base64 alphabet, padding and the white space a body is folded with. */
const OUTSIDE_ALPHABET = /[^A-Za-z0-9+/=\r\n\t ]/;

/**
 * Decodes a leaf body chunk by chunk (base64, quoted-printable, or as is) so that analysis can
 * count decoded bytes, sniff the head and list archives without holding the part.
 * Strict: base64 that a careful reader would refuse is reported, not silently repaired.
 */
export class BodyDecoder {
  /** Why the body does not decode cleanly, when it does not. */
  problem: string | undefined;
  private carry = '';
  private padded = false;

  constructor(private readonly encoding: string) {}

  /** Decode the next raw chunk. */
  write(chunk: Buffer): Buffer {
    if (this.encoding === 'base64') return this.base64(chunk.toString('latin1'), false);
    if (this.encoding === 'quoted-printable') return this.quotedPrintable(chunk.toString('latin1'), false);
    return chunk;
  }

  /** Decode what is left at the end of the body. */
  end(): Buffer {
    if (this.encoding === 'base64') return this.base64('', true);
    if (this.encoding === 'quoted-printable') return this.quotedPrintable('', true);
    return Buffer.alloc(0);
  }

  private base64(text: string, final: boolean): Buffer {
    // A clean body (the usual case) is scanned once for what does not belong and once to drop
    // its line ends; only a body with foreign characters pays for removing them too.
    if (!this.problem && OUTSIDE_ALPHABET.test(text)) this.problem = 'base64 body has characters outside the alphabet';
    const fresh = this.problem ? text.replace(/[^A-Za-z0-9+/=]/g, '') : text.replace(/[\r\n\t ]/g, '');
    // Only what this chunk adds can go on after padding seen before (the carry is its own quartet).
    if (this.padded && !this.problem && /[A-Za-z0-9+/]/.test(fresh)) this.problem = 'base64 body goes on after its padding';
    let data = this.carry + fresh;
    const pad = data.indexOf('=');
    if (pad >= 0) {
      const after = data.slice(pad).replace(/=/g, '');
      if (after.length > 0 && !this.problem) this.problem = 'base64 body goes on after its padding';
      this.padded = true;
    }
    if (final) {
      this.carry = '';
      if (data.replace(/=+$/, '').length % 4 === 1 && !this.problem) this.problem = 'base64 body is truncated';
      return pad >= 0 ? byQuartets(data) : Buffer.from(data, 'base64');
    }
    const usable = data.length - (data.length % 4);
    this.carry = data.slice(usable);
    data = data.slice(0, usable);
    return pad >= 0 ? byQuartets(data) : Buffer.from(data, 'base64');
  }

  private quotedPrintable(text: string, final: boolean): Buffer {
    let data = this.carry + text;
    this.carry = '';
    if (!final) {
      // Keep an escape split across chunks for the next one.
      const cut = data.lastIndexOf('=');
      if (cut >= 0 && data.length - cut < 3) {
        this.carry = data.slice(cut);
        data = data.slice(0, cut);
      }
    }
    const soft = data.replace(/=\r?\n/g, '');
    const out: number[] = [];
    for (let i = 0; i < soft.length; i++) {
      const hex = soft.slice(i + 1, i + 3);
      if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
      } else {
        out.push(soft.charCodeAt(i) & 0xff);
      }
    }
    return Buffer.from(out);
  }
}

/**
 * Base64 with padding inside (`QUI=QUJD`: parts encoded one by one and joined) decoded quartet
 * by quartet, the way a lenient reader shows it, so analysis sees every byte a client could.
 * Data before the first padded quartet and between padded quartets is decoded in one go.
 */
function byQuartets(data: string): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  let pad = data.indexOf('=');
  while (pad !== -1) {
    const quartet = pad - (pad % 4);
    if (quartet > start) parts.push(Buffer.from(data.slice(start, quartet), 'base64'));
    const own = data.slice(quartet, quartet + 4);
    parts.push(Buffer.from(own.slice(0, own.indexOf('=')), 'base64'));
    start = quartet + 4;
    pad = data.indexOf('=', start);
  }
  if (start < data.length) parts.push(Buffer.from(data.slice(start), 'base64'));
  return Buffer.concat(parts);
}
