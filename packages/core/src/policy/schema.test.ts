import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';

const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'policy.schema.json'), 'utf8')) as Record<string, unknown>;

/** Every property schema in the tree, with its path. */
function properties(node: unknown, path: string, out: [string, Record<string, unknown>][] = []): [string, Record<string, unknown>][] {
  if (typeof node !== 'object' || node === null) return out;
  const n = node as Record<string, unknown>;
  for (const [key, child] of Object.entries((n.properties as Record<string, unknown>) ?? {})) {
    out.push([`${path}.${key}`, child as Record<string, unknown>]);
    properties(child, `${path}.${key}`, out);
  }
  for (const key of ['items', 'else', 'additionalProperties']) if (typeof n[key] === 'object') properties(n[key], `${path}.${key}`, out);
  for (const [key, child] of Object.entries((n.definitions as Record<string, unknown>) ?? {})) properties(child, `#${key}`, out);
  return out;
}

describe('policy.schema.json', () => {
  it('compiles under ajv strict mode', () => {
    expect(() => new Ajv({ strict: true, allErrors: true, allowUnionTypes: true }).compile(schema)).not.toThrow();
  });

  it('describes every property, so editors can explain what they complete', () => {
    const all = properties(schema, '');
    expect(all.length).toBeGreaterThan(80);
    const missing = all.filter(([, s]) => typeof s.description !== 'string' && !('$ref' in s)).map(([p]) => p);
    expect(missing).toEqual([]);
  });

  it('knows every condition of the language', () => {
    const when = (schema.definitions as Record<string, { properties: object }>).when.properties;
    expect(Object.keys(when).sort()).toEqual(
      ['all', 'any', 'client', 'direction', 'dnsbl', 'greylist', 'header', 'helo', 'malformed', 'not', 'part', 'recipient', 'recipients', 'sender', 'size', 'spam', 'virus'].sort(),
    );
  });
});
