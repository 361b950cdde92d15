/**
 * SHA-256 (FIPS 180-4) for the short inputs of the Message-ID masquerade, in JavaScript: a
 * native hash call costs a few microseconds of binding overhead on Node 20, several times the
 * work of the one or two blocks a keyed message id takes. hmac.test.ts checks it against
 * node:crypto. Not for bulk data: use node:crypto there.
 */

const PRIMES: number[] = [];
for (let n = 2; PRIMES.length < 64; n++) if (PRIMES.every((p) => n % p !== 0)) PRIMES.push(n);

/** The first 32 bits of the fractional part of `x`, as an unsigned 32-bit word. */
const fraction32 = (x: number): number => Math.floor((x - Math.floor(x)) * 0x100000000) >>> 0;

/** Round constants: fractional parts of the cube roots of the first 64 primes. */
const K = Int32Array.from(PRIMES, (p) => fraction32(Math.cbrt(p)));
/** Initial state: fractional parts of the square roots of the first 8 primes. */
export const INITIAL_STATE: Readonly<Int32Array> = Int32Array.from(PRIMES.slice(0, 8), (p) => fraction32(Math.sqrt(p)));

const w = new Int32Array(64);

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** Fold the 64-octet block of `data` at `at` into `state`. */
export function compress(state: Int32Array, data: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4) w[i] = (data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!;
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15]!;
    const b = w[i - 2]!;
    const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
    const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!, e = state[4]!, f = state[5]!, g = state[6]!, h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

const state = new Int32Array(8);
const tail = new Uint8Array(128);

/**
 * The digest of `prefix` octets already folded into `from` (a multiple of 64) followed by
 * `data`, written into `out` (32 octets): the rest is folded in and padded. `from` is left as
 * it was. Scratch space is shared, so calls must not overlap (they cannot: nothing here waits).
 */
export function digestInto(from: Readonly<Int32Array>, prefix: number, data: Uint8Array, out: Uint8Array): Uint8Array {
  state.set(from);
  let at = 0;
  for (; at + 64 <= data.length; at += 64) compress(state, data, at);
  const rest = data.length - at;
  const end = rest < 56 ? 64 : 128;
  for (let i = 0; i < rest; i++) tail[i] = data[at + i]!;
  tail.fill(0, rest, end);
  tail[rest] = 0x80;
  // The length in bits, big-endian in the last 8 octets (inputs here are far under 2^53 bits).
  const bits = (prefix + data.length) * 8;
  const high = Math.floor(bits / 0x100000000);
  for (let i = 0; i < 4; i++) {
    tail[end - 8 + i] = high >>> (24 - 8 * i);
    tail[end - 4 + i] = bits >>> (24 - 8 * i);
  }
  for (let i = 0; i < end; i += 64) compress(state, tail, i);
  for (let i = 0; i < 8; i++) {
    const word = state[i]!;
    out[i * 4] = word >>> 24;
    out[i * 4 + 1] = word >>> 16;
    out[i * 4 + 2] = word >>> 8;
    out[i * 4 + 3] = word;
  }
  return out;
}
