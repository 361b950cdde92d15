import type { ByteSource } from '../archive/byte-source';
import { Spool } from '../spool';

const BEGIN = /^\s*-----BEGIN (PKCS7|PKCS #7 SIGNED DATA|CMS)-----\r?\n/;

/** True when a body starts as PEM-armoured CMS (`openssl smime -outform PEM` writes it). */
export function isPemCms(head: Buffer): boolean {
  return BEGIN.test(head.subarray(0, 80).toString('latin1'));
}

/**
 * The DER inside a PEM-armoured body, decoded a block at a time into a spool (memory, then a
 * temp file), up to the `-----END` line. The caller disposes of it.
 */
export function pemToSpool(src: ByteSource, memory: number, hard: number): Spool {
  const out = new Spool(memory, hard);
  const first = src.read(0, 80).toString('latin1');
  let at = first.match(BEGIN)![0].length;
  let carry = '';
  for (; at < src.length; at += 65536) {
    const text = src.read(at, 65536).toString('latin1');
    const end = text.indexOf('-');
    const digits = carry + (end < 0 ? text : text.slice(0, end)).replace(/[^A-Za-z0-9+/=]/g, '');
    const whole = digits.length - (digits.length % 4);
    out.write(Buffer.from(digits.slice(0, whole), 'base64'));
    carry = digits.slice(whole);
    if (end >= 0) break;
  }
  return out;
}
