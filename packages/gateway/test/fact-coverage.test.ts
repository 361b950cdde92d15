/**
 * A policy rule that reads a fact whose provider gateway.yaml does not configure (a virus rule
 * and no facts.clamd, say a misspelt section) is said at start, with the rule and what to add:
 * the gateway used to start quietly and answer every such message 451 (the default onError).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicy } from '@mailward/core';
import { createLog, defaultConfig, startGateway } from '../src/index';
import { unprovidedFacts } from '../src/fact-coverage';

const POLICY = `
version: 1
smtp: { greetPause: 0 }
connect:
  rules:
    - id: blocklisted
      when: { dnsbl: zen.example }
      do: [ reject ]
rcpt: { rules: [ { id: ours, when: { recipient: { domain: acme.example } }, do: [ accept ] } ] }
data:
  rules:
    - id: no-viruses
      when: { virus: true }
      do: [ reject ]
    - id: spam-tag
      when: { spam: { score: { gte: 5 } } }
      onError: skip
      do: [ { headers: { add: { X-Spam: "yes" } } } ]
`;

it('names each rule whose fact no provider gives, with the facts section to add and what happens meanwhile', () => {
  const policy = loadPolicy(POLICY, 'policy.yaml');
  expect(unprovidedFacts(policy, { spamd: { endpoint: { host: '127.0.0.1', port: 783 } } })).toEqual([
    { stage: 'connect', rule: 'blocklisted', provider: 'dns', problem: "rule blocklisted (connect) reads dnsbl but gateway.yaml has no facts.dns: every lookup fails and the rule's onError (tempfail) decides" },
    { stage: 'data', rule: 'no-viruses', provider: 'clamd', problem: "rule no-viruses (data) reads virus but gateway.yaml has no facts.clamd: every lookup fails and the rule's onError (tempfail) decides" },
  ]);
  expect(unprovidedFacts(policy, { dns: {}, clamd: { endpoint: { socket: '/x' } }, spamd: { endpoint: { socket: '/y' } } })).toEqual([]);
});

it('logs them as warnings when the gateway starts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-facts-'));
  const lines: Record<string, unknown>[] = [];
  try {
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    const gw = await startGateway({ ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }] },
      createLog('info', (line) => lines.push(JSON.parse(line) as Record<string, unknown>), false));
    await gw.stop(1000);
    expect(lines.filter((l) => l.event === 'facts-missing').map((l) => [l.level, l.rule, l.provider])).toEqual([
      ['warn', 'blocklisted', 'dns'], ['warn', 'no-viruses', 'clamd'], ['warn', 'spam-tag', 'spamd'],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
