/**
 * Header scans on inputs an outsider can send (a long word, many quotes, an open comment run):
 * each timed at a length N and at 4N, with the growth between them. A scan linear in the
 * length grows about 4x, a quadratic one about 16x. The tests run the same shapes at 4N for
 * their results only; the times are measured here.
 *
 *   npm run bench:adversarial   (node -r ts-node/register/transpile-only bench/adversarial.ts [N=100000])
 */
import { addrSpecsOf } from '../packages/core/src/message/addr-specs';
import { encodePhrases, mapAddresses } from '../packages/core/src/rewrite/address-list';
import { withoutMarked } from '../packages/core/src/rewrite/mailbox-list';
import { masqueradeAddresses } from '../packages/core/src/rewrite/masquerade';
import { addressesIn } from '../packages/core/src/testing/envelope-from-message';

const N = Number(process.argv[2] ?? 100_000);
const encode = (t: string): string => `=?utf-8?B?${Buffer.from(t, 'latin1').toString('base64')}?=`;
const list = (n: number): string => Array.from({ length: n }, (_, i) => (i === 10 ? 'MARK' : `u${i}@acme.example`)).join(', ');

const CASES: [string, (n: number) => () => unknown][] = [
  ['mapAddresses: a long word with no @', (n) => { const v = `${'a'.repeat(n)} <x@y>`; return () => mapAddresses(v, (a) => a.toUpperCase()); }],
  ['mapAddresses: many empty quoted strings', (n) => { const v = `${'"" '.repeat(n)}<x@y>`; return () => mapAddresses(v, (a) => a.toUpperCase()); }],
  ['mapAddresses: domain literals never closed', (n) => { const v = `${'a@['.repeat(n)} <x@y>`; return () => mapAddresses(v, (a) => a.toUpperCase()); }],
  ['encodePhrases: a run of white space', (n) => { const v = `${' '.repeat(2 * n)}M\xfcller <m@acme.example>`; return () => encodePhrases(v, encode); }],
  ['withoutMarked: a long list', (n) => { const v = list(n / 2); return () => withoutMarked(v, 'MARK'); }],
  ['masqueradeAddresses: a long label run', (n) => { const v = `p@x.example (${'a-'.repeat(n)})`; return () => masqueradeAddresses(v, 'acme.example'); }],
  ['masqueradeAddresses: a name of many labels', (n) => { const v = `p@x.example (${'a.'.repeat(n)}hub.acme.example)`; return () => masqueradeAddresses(v, 'acme.example'); }],
  ['masqueradeAddresses: open parentheses', (n) => { const v = `p@x.example ${'('.repeat(n)}`; return () => masqueradeAddresses(v, 'acme.example'); }],
  ['addrSpecsOf: a long word', (n) => { const v = `${'a'.repeat(n)} <real@acme.example>`; return () => addrSpecsOf(v); }],
  ['addrSpecsOf: quotes', (n) => { const v = '"'.repeat(n + 1); return () => addrSpecsOf(v); }],
  ['addrSpecsOf: open parentheses', (n) => { const v = '('.repeat(n); return () => addrSpecsOf(v); }],
  ['addrSpecsOf: a@ repeated', (n) => { const v = 'a@'.repeat(n / 2); return () => addrSpecsOf(v); }],
  ['addressesIn: a long word', (n) => { const v = `${'a'.repeat(n)} <real@acme.example>`; return () => addressesIn(v); }],
];

/** The best of 5 runs, ms. */
function best(run: () => unknown): number {
  let min = Infinity;
  for (let i = 0; i < 5; i++) {
    const start = process.hrtime.bigint();
    run();
    min = Math.min(min, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return min;
}

console.log(`| input | ms at ${N} | ms at ${4 * N} | growth (linear ~4, quadratic ~16) |`);
console.log('|---|--:|--:|--:|');
for (const [name, make] of CASES) {
  const small = best(make(N));
  const large = best(make(4 * N));
  console.log(`| ${name} | ${small.toFixed(2)} | ${large.toFixed(2)} | ${(large / small).toFixed(1)} |`);
}
