import { fc, test as propTest } from '@fast-check/jest';
import { parse } from 'yaml';
import { compilePolicy } from './compile';
import { loadPolicy } from './load';
import { PolicyError } from './policy-error';
import type { RawPolicy } from './raw-policy';

const BASE = parse(`
version: 1
lists: { ours: [acme.example], hubs: [10.0.0.0/8], bad: ["*.exe"] }
notice: "removed {filename}"
smtp: { maxSize: 10MB, hideKeywords: [AUTH] }
outbound: { clients: ["@hubs"] }
connect: { rules: [ { id: c, when: { dnsbl: zen.example }, do: [ reject ] } ] }
mail: { rules: [ { id: m, when: { sender: { domain: "@ours", fqdn: false } }, do: [ { rewrite: { sender: { match: "*@*", to: "&1@x" } } } ] } ] }
rcpt: { rules: [ { id: r, when: { any: [ { recipient: "*@acme.example" }, { direction: outbound } ] }, do: [ { route: { via: [h] } }, accept ] } ] }
data:
  rules:
    - { id: d1, when: { part: { filename: "@bad", type: { not: "text/*" } } }, do: [ strip, { log: "{filename}" } ] }
    - { id: d2, when: { spam: { score: { gte: 5 } } }, onError: skip, do: [ { headers: { add: { X-S: "{spam.score}" } } }, { quarantine: { notify: [a@b.example] } } ] }
`) as RawPolicy;

/** Every path into the base policy, so a mutation can land anywhere. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

const ALL = paths(BASE).filter((p) => p.length > 0);
const WORDS = ['accept', 'reject', 'strip', 'part', 'sender', 'not', 'any', '@ours', '@nope', '*', 're:(a+)+', '&9', '{x}', '10MB', 'data', 'id'];
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(...WORDS),
  fc.dictionary(fc.constantFrom(...WORDS), fc.oneof(fc.constantFrom(...WORDS), fc.integer(), fc.boolean()), { maxKeys: 3 }),
  fc.array(fc.constantFrom(...WORDS), { maxLength: 3 }),
);

function mutate(base: RawPolicy, changes: [number, unknown][]): unknown {
  const copy = structuredClone(base) as unknown as Record<string | number, unknown>;
  for (const [i, value] of changes) {
    const path = ALL[i % ALL.length]!;
    let node = copy as Record<string | number, unknown> | undefined;
    for (const key of path.slice(0, -1)) node = node?.[key] as Record<string | number, unknown> | undefined;
    if (node && typeof node === 'object') node[path[path.length - 1]!] = value;
  }
  return copy;
}

describe('loading is robust', () => {
  it('the base policy is valid', () => {
    expect(compilePolicy(BASE).stages.data.rules).toHaveLength(2);
  });

  propTest.prop([fc.array(fc.tuple(fc.nat(), junk), { minLength: 1, maxLength: 3 })], { numRuns: 400 })(
    'a damaged policy loads or throws PolicyError with positioned problems, never anything else',
    (changes) => {
      const raw = mutate(BASE, changes);
      const text = JSON.stringify(raw);
      try {
        loadPolicy(text, 'p.json');
      } catch (err) {
        expect(err).toBeInstanceOf(PolicyError);
        const problems = (err as PolicyError).problems;
        expect(problems.length).toBeGreaterThan(0);
        for (const p of problems) {
          expect(p.line).toBeGreaterThanOrEqual(1);
          expect(p.message.length).toBeGreaterThan(10);
        }
      }
    },
  );
});
