/**
 * How fast the engine decides, against what loading a policy costs.
 * A generated 200-rule data-stage policy (envelope, header and part conditions, lists, regexes),
 * evaluated over a few message models; and the same policy text loaded + compiled from YAML.
 * Then analyze() against a bare Splitter -> Joiner pass over the same messages.
 *
 *   npm run bench:engine            (node -r ts-node/register/transpile-only bench/engine.ts)
 *   node -r ts-node/register/transpile-only bench/engine.ts [rules=200] [seconds=2]
 */
import { analyzeRows } from './analyze-throughput';
import { compilePolicy, evaluate, loadPolicy, type MessageModel, type MimePart, type StageInput } from '../packages/core/src/index';

const RULES = Number(process.argv[2] ?? 200);
const SECONDS = Number(process.argv[3] ?? 2);

/** A policy of `n` rules, none of which ends the stage, so every evaluation runs all of them. */
function policyText(n: number): string {
  const out = [
    'version: 1',
    'name: bench',
    'lists:',
    '  risky: ["*.exe", "*.bat", "*.com", "*.pif", "*.scr", "*.vbs", "*.cmd", "*.dll", "love-letter*"]',
    '  safe-types: ["text/*", "image/*", "multipart/*", "message/rfc822", application/pdf]',
    '  nets: [10.0.0.0/8, 192.168.0.0/16, 2001:db8::/32]',
    'data:',
    '  rules:',
  ];
  const kinds = [
    (i: number) => `{ sender: "*@sender${i}.example" }`,
    (i: number) => `{ client: "@nets", recipient: { domain: "*.dom${i}.example" } }`,
    (i: number) => `{ header: { name: X-Bench-${i}, value: "*token${i}*" } }`,
    (i: number) => `{ part: { filename: "@risky", type: { not: "@safe-types" } }, sender: { not: "*@trusted${i}.example" } }`,
    (i: number) => `{ any: [ { sender: "re:^spam${i}[0-9]+@" }, { size: { gt: ${i}MB } } ] }`,
  ];
  for (let i = 0; i < n; i++) {
    out.push(`    - id: rule-${i}`);
    out.push(`      when: ${kinds[i % kinds.length]!(i)}`);
    out.push(i % 5 === 3 ? `      do: [ strip, { log: "r${i} {filename}" } ]` : `      do: [ { log: "r${i} {sender}" } ]`);
  }
  return `${out.join('\n')}\n`;
}

function part(path: string, type: string, filename?: string): MimePart {
  return {
    path, carrier: path, type, size: 4000, filenames: filename ? [filename] : [], ...(filename ? { filename } : {}),
    multipart: type.startsWith('multipart/'), depth: path === '' ? 0 : 1, inArchive: false, encrypted: false, doubleExtension: false, nameMismatch: false,
  };
}

const MODELS: MessageModel[] = [
  { size: 5000, headers: [{ name: 'From', value: 'a@example.org', decoded: 'a@example.org' }, { name: 'Subject', value: 'hi', decoded: 'hi' }], parts: [part('', 'text/plain')], malformed: [] },
  {
    size: 60_000,
    headers: Array.from({ length: 20 }, (_, i) => ({ name: `X-Header-${i}`, value: `value ${i}`, decoded: `value ${i}` })),
    parts: [part('', 'multipart/mixed'), part('1', 'text/plain'), part('2', 'application/pdf', 'r.pdf'), part('3', 'application/octet-stream', 'setup.exe')],
    malformed: [],
  },
];

function inputs(): StageInput[] {
  return MODELS.map((message, i) => ({
    client: { ip: i % 2 ? '10.1.2.3' : '203.0.113.9', tls: false, authenticated: false },
    helo: 'mx.example.org',
    sender: `user${i}@example.org`,
    recipients: ['bob@acme.example'],
    message,
  }));
}

/** Runs `fn` repeatedly for about `seconds`; returns calls per second. */
function rate(seconds: number, fn: () => void): number {
  for (let i = 0; i < 50; i++) fn(); // warm up
  let calls = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let i = 0; i < 20; i++) fn();
    calls += 20;
    elapsed = process.hrtime.bigint() - start;
  }
  return calls / (Number(elapsed) / 1e9);
}

async function main(): Promise<void> {
  const text = policyText(RULES);
  const policy = loadPolicy(text, 'bench.yaml');
  const ins = inputs();
  let k = 0;
  const evals = rate(SECONDS, () => {
    evaluate(policy, 'data', ins[k++ % ins.length]!, {});
  });
  const loads = rate(SECONDS, () => {
    loadPolicy(text, 'bench.yaml');
  });
  const compiles = rate(SECONDS, () => {
    compilePolicy(policy.raw);
  });
  const rows: [string, string][] = [
    ['rules in the policy', String(RULES)],
    ['evaluations / s (data stage, all rules run)', evals.toFixed(0)],
    ['rules evaluated / s', (evals * RULES).toExponential(2)],
    ['loads / s (YAML parse + schema + compile)', loads.toFixed(1)],
    ['compiles / s (from the parsed object)', compiles.toFixed(1)],
    ['one load costs this many evaluations', (evals / loads).toFixed(1)],
  ];
  const width = Math.max(...rows.map(([k2]) => k2.length));
  process.stdout.write(`engine benchmark (node ${process.version})\n`);
  for (const [label, value] of rows) process.stdout.write(`  ${label.padEnd(width)}  ${value.padStart(10)}\n`);

  const analysis = await analyzeRows();
  const w2 = Math.max(...analysis.map(([k2]) => k2.length));
  process.stdout.write(`analyze vs a plain mailsplit pass, same run\n`);
  for (const [label, value] of analysis) process.stdout.write(`  ${label.padEnd(w2)}  ${value.padStart(10)}\n`);
}

void main();
