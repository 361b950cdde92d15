import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { MimeNode, SplitterChunk } from '@zone-eu/mailsplit';
import { parse } from 'yaml';
import { analyze, evaluate, loadPolicy, loadPolicyFile, partPath, rewrite, type CompiledPolicy, type Decision, type RewriteChange } from '@mailward/core';
import { CrlfSplitter } from '../../src/rewrite/crlf';

// The evasion corpus: analyze -> policy -> rewrite on every crafted message. Each executable
// must be gone from the output (or the message refused), and every benign entity must come out
// byte for byte as it went in.

interface Case {
  file: string;
  trick: string;
  outcome: 'strip' | 'refuse' | 'pass' | 'html';
  stripped?: string[];
  benign?: string[];
  /**
   * Rules that must fire: where the policy strips the part by its type anyway (any zip is not a
   * safe type), they show that what it holds was seen.
   */
  fired?: string[];
  /** A case the pipeline does not meet yet: its test is expected to fail until it does. */
  knownGap?: string;
}

const dir = __dirname;
const cases = (parse(readFileSync(join(dir, 'cases.yaml'), 'utf8')) as { cases: Case[] }).cases;
const corpusPolicy = loadPolicyFile(join(dir, 'policy.yaml'));
const fireboxPolicy = loadPolicyFile(join(dir, '../../../../examples/firebox-inbound/policy.yaml'));
const message = (c: Case): Buffer => readFileSync(join(dir, 'messages', c.file));

async function decide(policy: CompiledPolicy, data: Buffer): Promise<Decision> {
  const model = await analyze(Readable.from([data]));
  const input = { client: { ip: '203.0.113.7', tls: false, authenticated: false }, sender: 'mallory@example.net', recipients: ['bob@acme.example'], message: model };
  return evaluate(policy, 'data', input, {});
}

async function run(data: Buffer, decision: Decision): Promise<{ out: Buffer; changes: RewriteChange[] }> {
  const stream = rewrite(Readable.from([data]), decision.effects, { secret: 'corpus' });
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return { out: Buffer.concat(chunks), changes: stream.changes };
}

/** The raw bytes of each entity (its header block and body) by part path, split as analyze and rewrite split. */
async function entities(data: Buffer): Promise<Map<string, Buffer>> {
  const raw = new Map<MimeNode, Buffer[]>();
  const splitter = new CrlfSplitter();
  Readable.from([data]).pipe(splitter);
  for await (const obj of splitter as AsyncIterable<SplitterChunk>) {
    if (obj.type === 'node') raw.set(obj, [obj.getHeaders()]);
    else if (obj.type === 'body') raw.get(obj.node)?.push(obj.value);
  }
  return new Map([...raw].map(([node, parts]) => [partPath(node), Buffer.concat(parts)]));
}

describe('evasion corpus', () => {
  it('has at least 40 cases, each with a message file', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const c of cases) expect(message(c).length).toBeGreaterThan(0);
  });

  describe.each(cases.map((c) => [c.file, c] as const))('%s', (_file, c) => {
    (c.knownGap ? it.failing : it)(`${c.outcome}: ${c.trick}`, async () => {
      const data = message(c);
      const decision = await decide(corpusPolicy, data);
      if (c.outcome === 'refuse') {
        expect(decision.verdict).toBe('reject');
        return;
      }
      expect(decision.verdict).toBe('accept');
      expect(decision.fired).toEqual(expect.arrayContaining(c.fired ?? []));
      const { out, changes } = await run(data, decision);
      const stripped = changes.filter((x) => x.kind === 'part-stripped').map((x) => (x as { path: string }).path);
      expect(stripped.sort()).toEqual([...(c.stripped ?? [])].sort());
      if (c.outcome === 'pass') expect(out.equals(data)).toBe(true);
      if (c.outcome === 'html') {
        expect(changes.some((x) => x.kind === 'html-stripped')).toBe(true);
        expect(out.toString('latin1')).not.toMatch(/<script|<iframe|onload/i);
        expect(out.toString('latin1')).toContain('BENIGN-HTML');
      }
      // Nothing the policy objects to is left: the output decided again strips nothing.
      const again = await decide(corpusPolicy, out);
      expect(again.effects.filter((e) => e.type === 'stripPart')).toEqual([]);
      // Benign entities survive byte-identical (a changed message leaves with CRLF line ends only,
      // so an LF-only one is compared with its line ends made CRLF).
      const before = await entities(data);
      for (const path of c.benign ?? []) {
        const bytes = before.get(path);
        expect(bytes).toBeDefined();
        expect(out.includes(crlf(bytes!))).toBe(true);
      }
    });
  });
});

/** The bytes with every bare LF made CRLF. */
function crlf(bytes: Buffer): Buffer {
  return Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}

describe('evasion corpus through the shipped Firebox inbound policy', () => {
  it.each(cases.map((c) => [c.file, c] as const))('%s: what Firebox strips is gone and benign parts survive', async (_file, c) => {
    const data = message(c);
    const decision = await decide(fireboxPolicy, data);
    const { out } = await run(data, decision);
    const again = await decide(fireboxPolicy, out);
    expect(again.effects.filter((e) => e.type === 'stripPart')).toEqual([]);
    const before = await entities(data);
    for (const path of c.outcome === 'refuse' ? [] : c.benign ?? []) expect(out.includes(crlf(before.get(path)!))).toBe(true);
  });
});

describe("Check Point's & rewrite on address headers", () => {
  it('rewrites each address, keeping display names, encoded words and groups', async () => {
    const policy = loadPolicy(
      [
        'version: 1',
        'name: fw1-resource',
        'data:',
        '  rules:',
        '    - id: weirdal',
        '      do:',
        '        - { rewrite: { header: "{from,sender,to}", match: "*@smtp.weirdal.com", to: "&@weirdal.com" } }',
      ].join('\n'),
      'inline.yaml',
    );
    const data = readFileSync(join(dir, 'messages', 'checkpoint-from-rewrite.eml'));
    const { out, changes } = await run(data, await decide(policy, data));
    const head = out.toString('latin1').split('\r\n\r\n')[0]!;
    expect(head).toContain('From: "Al =?utf-8?Q?W=C3=A9ird?=" <al@weirdal.com>');
    expect(head).toContain('Sender: =?iso-8859-1?Q?Bj=F6rn?= <bjorn@weirdal.com>');
    expect(head).toContain('To: Team: "Bob, B." <bob@acme.example>, carol@weirdal.com;');
    expect(changes.map((c) => c.kind)).toEqual(['header-rewritten', 'header-rewritten', 'header-rewritten']);
    expect(out.subarray(out.indexOf('\r\n\r\n')).equals(data.subarray(data.indexOf('\r\n\r\n')))).toBe(true);
  });
});
