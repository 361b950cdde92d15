import type { MimePart } from './model';
import { extensionOf } from './name-checks';

const ARMOUR = '-----BEGIN PGP MESSAGE-----';

/**
 * An OpenPGP packet that starts an encrypted message (RFC 4880 4.2, 5.1, 5.3): a session key
 * encrypted to a public key (tag 1) or with a passphrase (tag 3), in the old or the new format.
 */
function startsEncryptedPacket(head: Buffer): boolean {
  const b = head[0];
  if (b === undefined || (b & 0x80) === 0) return false;
  const tag = b & 0x40 ? b & 0x3f : (b >> 2) & 0x0f;
  return tag === 1 || tag === 3;
}

/**
 * Whether a leaf holds OpenPGP-encrypted data: as RFC 3156 sends it (the second part of a
 * multipart/encrypted), armoured in a text body (inline PGP), or a .gpg/.pgp/.asc file. Like
 * encrypted S/MIME it cannot be looked into here, and Thunderbird (or Outlook with an add-in)
 * shows what it holds once decrypted. The `Version: 1` part of multipart/encrypted is not.
 */
export function isPgpEncrypted(part: MimePart, head: Buffer): boolean {
  const text = head.subarray(0, 512).toString('latin1');
  if (text.includes(ARMOUR)) return true;
  const named = part.filenames.some((n) => ['gpg', 'pgp', 'asc'].includes(extensionOf(n)));
  return (named || part.type === 'application/octet-stream') && startsEncryptedPacket(head) && !part.type.startsWith('text/');
}
