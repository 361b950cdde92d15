/** Decoding and encoding a leaf body for the edits that change its content. */

/** Decode a whole body held in memory. */
export function decodeBody(raw: Buffer, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(raw.toString('latin1').replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
  if (encoding === 'quoted-printable') {
    const text = raw.toString('latin1').replace(/=\r?\n/g, '');
    return Buffer.from(text.replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  }
  return raw;
}

/** A line never starts with a dash, so none can be a boundary delimiter (`--b`) of the part around it. */
function withoutLeadingDash(line: string): string {
  return line.startsWith('-') ? `=2D${line.slice(1)}` : line;
}

/** Encode a body in a transfer encoding, CRLF lines within 76 (base64, qp) or as given. */
export function encodeBody(data: Buffer, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(`${data.toString('base64').replace(/.{76}/g, '$&\r\n').replace(/\r\n$/, '')}\r\n`);
  if (encoding === 'quoted-printable') {
    // Only CRLF is a line break: a bare CR or LF is data (a UTF-16 body has 0x0a octets) and is escaped.
    const lines = data.toString('latin1').split('\r\n');
    const out = lines.map((line) => {
      let encoded = line.replace(/[=\x00-\x08\x0a-\x1f\x7f-\xff]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
      encoded = encoded.replace(/[ \t]$/, (c) => (c === ' ' ? '=20' : '=09'));
      const pieces: string[] = [];
      while ((encoded = withoutLeadingDash(encoded)).length > 76) {
        let cut = 75;
        while (cut > 72 && encoded[cut - 1] !== '=' && encoded[cut - 2] === '=') cut--;
        if (encoded[cut - 1] === '=') cut--;
        else if (encoded[cut - 2] === '=') cut -= 2;
        pieces.push(`${encoded.slice(0, cut)}=`);
        encoded = encoded.slice(cut);
      }
      pieces.push(encoded);
      return pieces.join('\r\n');
    });
    return Buffer.from(out.join('\r\n'), 'latin1');
  }
  return data;
}
