import type { MimePart } from './model';
import { extensionOf } from './name-checks';

const ARMOUR = '-----BEGIN PGP MESSAGE-----';

/** Where an OpenPGP packet's body starts (RFC 4880 4.2), or -1 for a length form not used by these packets. */
function bodyStart(head: Buffer): number {
  const b = head[0]!;
  if (b & 0x40) {
    const first = head[1] ?? 0xff;
    return first < 192 ? 2 : first < 224 ? 3 : first === 255 ? 6 : -1;
  }
  return [2, 3, 5, -1][b & 0x03]!;
}

/**
 * An OpenPGP packet that starts an encrypted message (RFC 4880 5.1, 5.3; RFC 9580): a session key
 * encrypted to a public key (tag 1, version 3 or 6) or with a passphrase (tag 3, version 4 to 6),
 * in the old or the new packet format. One octet alone would take 3% of random files.
 */
function startsEncryptedPacket(head: Buffer): boolean {
  const b = head[0];
  if (b === undefined || (b & 0x80) === 0) return false;
  const tag = b & 0x40 ? b & 0x3f : (b >> 2) & 0x0f;
  const at = bodyStart(head);
  const version = at > 0 ? head[at] : undefined;
  return (tag === 1 && (version === 3 || version === 6)) || (tag === 3 && version !== undefined && version >= 4 && version <= 6);
}

/**
 * Whether a leaf holds OpenPGP-encrypted data: armoured (`-----BEGIN PGP MESSAGE-----` in its
 * first 512 octets: the data part of a PGP/MIME multipart/encrypted, inline PGP in a text body,
 * a .asc file) or binary in a .gpg/.pgp file. Like encrypted S/MIME it cannot be looked into
 * here, and Thunderbird (or Outlook with an add-in) shows what it holds once decrypted. The
 * `Version: 1` part of multipart/encrypted is not.
 */
export function isPgpEncrypted(part: MimePart, head: Buffer): boolean {
  if (head.subarray(0, 512).toString('latin1').includes(ARMOUR)) return true;
  return part.filenames.some((n) => ['gpg', 'pgp'].includes(extensionOf(n))) && startsEncryptedPacket(head);
}
