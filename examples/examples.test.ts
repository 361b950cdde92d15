import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { analyze, loadPolicyFile, rewrite, runSession } from '@mailward/core';
import { PolicyTester } from '@mailward/core/testing';

// Every example's YAML cases run under jest, so CI keeps the examples true. Each example must
// also fire every one of its rules from some case.
const examples = readdirSync(__dirname, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(__dirname, d.name, 'policy.yaml')))
  .map((d) => d.name)
  .sort();

test('the five seed scenarios are all here', () => {
  expect(examples).toEqual(expect.arrayContaining(['endian', 'firebox-inbound', 'firebox-outbound', 'firewall1-resource', 'gauntlet-smap']));
});

const tester = new PolicyTester({ unfiredRules: 'fail' });
for (const name of examples) tester.runYaml(join(__dirname, name, 'policy.yaml'));

// The README of firebox-outbound promises that no internal host name leaves in the addresses.
test('firebox-outbound: outgoing mail names no internal host in its address headers', async () => {
  const policy = loadPolicyFile(join(__dirname, 'firebox-outbound', 'policy.yaml'));
  const raw = Buffer.from([
    'From: Fred <fred@system1.acme.example>', 'Sender: fred@system1.acme.example', 'Reply-To: fred@system1.acme.example',
    'To: partner@example.org, penny@dimension.acme.example', 'Cc: Carol <carol@pc7.acme.example>', 'Subject: minutes',
    'Message-ID: <1@system1.acme.example>', '', 'The minutes.', '',
  ].join('\r\n'));
  const message = await analyze(Readable.from([raw]));
  const result = runSession(policy, { client: { ip: '10.0.0.10', tls: false, authenticated: false }, sender: 'fred@system1.acme.example', recipients: ['partner@example.org'], message }, {});
  let out = '';
  for await (const chunk of rewrite(Readable.from([raw]), result.effects, { secret: 'examples-test' })) out += String(chunk);
  const headers = out.slice(0, out.indexOf('\r\n\r\n'));
  expect(headers).toContain('carol@acme.example');
  expect(headers).not.toMatch(/[@.][a-z0-9-]+\.acme\.example/i);
});
