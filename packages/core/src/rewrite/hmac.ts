import { createHash } from 'node:crypto';
import { compress, digestInto, INITIAL_STATE } from './sha256';

const BLOCK = 64; // SHA-256's block size in octets

interface Keyed {
  /** The SHA-256 states after the key's inner and outer pad blocks. */
  inner: Int32Array;
  outer: Int32Array;
}

// Made once per secret: every message then hashes only its own octets.
const keyed = new Map<string, Keyed>();
function keyedOf(secret: string): Keyed {
  let k = keyed.get(secret);
  if (!k) {
    let key = Buffer.from(secret, 'utf8');
    if (key.length > BLOCK) key = createHash('sha256').update(key).digest();
    const pad = (byte: number): Int32Array => {
      const block = Buffer.alloc(BLOCK, byte);
      for (let i = 0; i < key.length; i++) block[i]! ^= key[i]!;
      const state = Int32Array.from(INITIAL_STATE);
      compress(state, block, 0);
      return state;
    };
    k = { inner: pad(0x36), outer: pad(0x5c) };
    keyed.set(secret, k);
  }
  return k;
}

/**
 * HMAC-SHA256 of `text` (as UTF-8) under `secret`, in hex: the same value as createHmac gives.
 * The pads' states are kept per secret (RFC 2104), so a message id costs two SHA-256 blocks in
 * JavaScript: less than one native hash call's overhead, and a createHmac object per message
 * cost several times more again, most of it in the garbage collector.
 */
export function hmacHex(secret: string, text: string): string {
  const { inner, outer } = keyedOf(secret);
  digestInto(inner, BLOCK, octetsOf(text), digest);
  digestInto(outer, BLOCK, digest, digest);
  let hex = '';
  for (let i = 0; i < digest.length; i++) hex += HEX[digest[i]!];
  return hex;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const digest = new Uint8Array(32);
const ascii = new Uint8Array(256);

/** The UTF-8 octets of `text`; an ASCII id (the usual case) is copied into scratch space. */
function octetsOf(text: string): Uint8Array {
  if (text.length > ascii.length) return Buffer.from(text, 'utf8');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return Buffer.from(text, 'utf8');
    ascii[i] = c;
  }
  return ascii.subarray(0, text.length);
}
