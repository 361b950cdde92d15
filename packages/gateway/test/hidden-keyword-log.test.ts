/**
 * A hidden keyword used anyway is refused, and its `hidden-keyword-refused` line names the
 * keyword: the extension a refused MAIL or RCPT parameter belongs to (RET= is DSN's, BODY= is
 * 8BITMIME's), or the hidden command itself (AUTH). Trial: the parameter lines had no keyword.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDialog } from '../../adapter-smtp-server/test/smtp-dialog';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { eventually } from './hub-sink';

let dir: string;
let gw: RunningGateway;
const lines: Record<string, unknown>[] = [];
const refusals = () => lines.filter((l) => l.event === 'hidden-keyword-refused');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-hidden-log-'));
  writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0, hideKeywords: [AUTH, 8BITMIME, SMTPUTF8] }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
  gw = await startGateway({ ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }] },
    createLog('info', (l) => lines.push(JSON.parse(l) as Record<string, unknown>), false));
});
afterAll(async () => {
  await gw?.stop(1000);
  rmSync(dir, { recursive: true, force: true });
});

it('names the keyword of each refused parameter and command', async () => {
  const d = await openDialog(gw.addresses[0]!.port);
  await d.send('EHLO client.test\r\n');
  expect(await d.send('AUTH PLAIN AGFsaWNlAHg=\r\n')).toMatch(/^5\d\d /);
  expect(await d.send('MAIL FROM:<a@client.test> RET=HDRS\r\n')).toMatch(/^555 5\.5\.4 /);
  expect(await d.send('MAIL FROM:<a@client.test> BODY=8BITMIME\r\n')).toMatch(/^555 5\.5\.4 /);
  expect(await d.send('MAIL FROM:<ü@client.test>\r\n')).toMatch(/^553 5\.6\.7 /);
  expect(await d.send('MAIL FROM:<a@client.test>\r\n')).toMatch(/^250 /);
  expect(await d.send('RCPT TO:<b@acme.example> NOTIFY=NEVER\r\n')).toMatch(/^555 5\.5\.4 /);
  expect(await d.send('RCPT TO:<b@acme.example> X-FOO=1\r\n')).toMatch(/^555 5\.5\.4 /);
  await d.send('QUIT\r\n');
  d.close();
  await eventually(() => refusals().length === 6);
  expect(refusals().map(({ keyword, command, parameter }) => ({ keyword, command, parameter }))).toEqual([
    { keyword: 'AUTH', command: 'AUTH', parameter: undefined },
    { keyword: 'DSN', command: 'MAIL', parameter: 'RET= (DSN is not offered here)' },
    { keyword: '8BITMIME', command: 'MAIL', parameter: 'BODY= (8BITMIME is not offered here)' },
    { keyword: 'SMTPUTF8', command: 'MAIL', parameter: 'non-ASCII address (SMTPUTF8 is not offered here)' },
    { keyword: 'DSN', command: 'RCPT', parameter: 'NOTIFY= (DSN is not offered here)' },
    // A parameter of no extension: no keyword to name.
    { keyword: undefined, command: 'RCPT', parameter: 'X-FOO= (no extension offered here takes it)' },
  ]);
});
