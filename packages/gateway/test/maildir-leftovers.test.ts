/**
 * A maildir delivery cut by a crash before its rename leaves `<id>.eml.part` in the mail folder:
 * start-up removes it (the message is still in the spool and is delivered again), and keeps
 * every whole `.eml`.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLog, loadGatewayConfig, startGateway, type RunningGateway } from '../src/index';

let dir: string;
let gw: RunningGateway | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mw-maildir-leftovers-'));
  writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
  writeFileSync(join(dir, 'gateway.yaml'), [
    'policy: policy.yaml', 'hostname: gw.test', 'secret: maildir-leftovers-secret', 'spool: spool',
    'listeners: [{ listen: "127.0.0.1:0" }]', 'delivery: { mode: maildir, maildir: mail }', '',
  ].join('\n'));
});
afterEach(async () => {
  await gw?.stop(1000);
  gw = undefined;
  rmSync(dir, { recursive: true, force: true });
});

it('removes .eml.part files from every recipient folder at start and keeps the delivered mail', async () => {
  const bob = join(dir, 'mail/bob@acme.example');
  const ann = join(dir, 'mail/ann@acme.example');
  mkdirSync(bob, { recursive: true });
  mkdirSync(ann, { recursive: true });
  writeFileSync(join(bob, 'A1.eml'), 'Subject: delivered\r\n\r\n');
  writeFileSync(join(bob, 'B2.eml.part'), 'Subject: cut');
  writeFileSync(join(ann, 'B2.eml.part'), 'Subject: cut');
  writeFileSync(join(dir, 'mail/notes.part'), 'not a mail folder');

  const log: string[] = [];
  gw = await startGateway(loadGatewayConfig(join(dir, 'gateway.yaml')), createLog('info', (l) => log.push(l), false));

  expect(readdirSync(bob)).toEqual(['A1.eml']);
  expect(readdirSync(ann)).toEqual([]);
  expect(existsSync(join(dir, 'mail/notes.part'))).toBe(true);
  expect(JSON.parse(log.find((l) => l.includes('"event":"start"'))!)).toMatchObject({ mail_partial_removed: 2 });
});

it('starts with no mail folder yet', async () => {
  const log: string[] = [];
  gw = await startGateway(loadGatewayConfig(join(dir, 'gateway.yaml')), createLog('info', (l) => log.push(l), false));
  expect(JSON.parse(log.find((l) => l.includes('"event":"start"'))!)).toMatchObject({ mail_partial_removed: 0 });
});
