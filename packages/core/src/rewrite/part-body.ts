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

/** Encode a body in a transfer encoding, CRLF lines within 76 (base64, qp) or as given. */
export function encodeBody(data: Buffer, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(`${data.toString('base64').replace(/.{76}/g, '$&\r\n').replace(/\r\n$/, '')}\r\n`);
  if (encoding === 'quoted-printable') {
    const lines = data.toString('latin1').split(/\r?\n/);
    const out = lines.map((line) => {
      let encoded = line.replace(/[=\x00-\x08\x0b-\x1f\x7f-\xff]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
      encoded = encoded.replace(/[ \t]$/, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase()}`);
      const pieces: string[] = [];
      while (encoded.length > 76) {
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
