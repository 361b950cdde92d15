/**
 * `mailward spool|quarantine ... --config FILE` with a file that is missing or not valid says
 * what is wrong, as `serve` does, and exits 1. Trial 4: "internal error" and a stack, exit 70.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';

let tmp: string;
beforeAll(() => (tmp = mkdtempSync(join(tmpdir(), 'mw-spool-config-'))));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('a gateway.yaml with a misspelt key: its file:line:col, exit 1, no stack', async () => {
  const file = join(tmp, 'gateway.yaml');
  writeFileSync(file, 'listeners:\n  - listen: "127.0.0.1:0"\nspoool: spool\n');
  const r = await runCli(['spool', 'list', '--config', file], tmp);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^mailward spool: gateway configuration is not valid:\n {2}.*gateway\.yaml:3:1: .*`spoool`; did you mean `spool`\?/);
  expect(r.stderr).not.toMatch(/internal error|    at /);
});

test('a missing gateway.yaml: said so, exit 1', async () => {
  const r = await runCli(['quarantine', 'list', '--config', join(tmp, 'nope.yaml')], tmp);
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(`mailward quarantine: ${join(tmp, 'nope.yaml')}: no such configuration file\n`);
});
