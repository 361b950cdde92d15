import * as crypto from 'node:crypto';

const BLOCK = 64; // SHA-256's block size in octets

interface Pads {
  inner: Buffer;
  outer: Buffer;
}

// The key's two pads, made once per secret.
const pads = new Map<string, Pads>();
function padsOf(secret: string): Pads {
  let p = pads.get(secret);
  if (!p) {
    let key = Buffer.from(secret, 'utf8');
    if (key.length > BLOCK) key = crypto.createHash('sha256').update(key).digest();
    const inner = Buffer.alloc(BLOCK, 0x36);
    const outer = Buffer.alloc(BLOCK, 0x5c);
    for (let i = 0; i < key.length; i++) {
      inner[i]! ^= key[i]!;
      outer[i]! ^= key[i]!;
    }
    p = { inner, outer };
    pads.set(secret, p);
  }
  return p;
}

/**
 * HMAC-SHA256 of `text` (as UTF-8) under `secret`, in hex: the same value as createHmac gives.
 * It is built from two one-shot hashes (RFC 2104) because a createHmac object per message costs
 * several times more, most of it in the garbage collector. Node before 20.12 has no one-shot
 * hash and uses createHmac.
 */
export function hmacHex(secret: string, text: string): string {
  if (typeof crypto.hash !== 'function') return crypto.createHmac('sha256', secret).update(text).digest('hex');
  const { inner, outer } = padsOf(secret);
  const innerHash = crypto.hash('sha256', Buffer.concat([inner, Buffer.from(text, 'utf8')]), 'buffer');
  return crypto.hash('sha256', Buffer.concat([outer, innerHash]), 'hex');
}
