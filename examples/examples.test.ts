import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
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
