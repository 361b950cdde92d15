/**
 * On a terminal `mailward serve` logs in the readable form unless told otherwise, by
 * --log-format or by gateway.yaml's log.format. Run under script(1), which gives it a terminal;
 * the gateway stops by itself (its port is taken) after its start line.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const hasScript = spawnSync('sh', ['-c', 'command -v script']).status === 0;
let tmp: string;
let taken: Server;
let port = 0;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'mw-serve-log-format-'));
  taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
  port = (taken.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((r) => taken.close(r));
  rmSync(tmp, { recursive: true, force: true });
});

/** What `mailward serve --config FILE` writes to its terminal, with gateway.yaml's `log:` as given. */
function onTerminal(log: string): string {
  const file = join(tmp, `gateway-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, `listeners: [{ listen: "127.0.0.1:${port}" }]\nspool: ${join(tmp, 'spool')}\ndelivery: { mode: maildir, maildir: ${join(tmp, 'mail')} }\n${log}`);
  const command = [process.execPath, '-r', require.resolve('ts-node/register/transpile-only'), '-r', join(__dirname, 'source-paths.js'), join(root, 'packages/cli/src/main.ts'), 'serve', '--config', file]
    .map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qfec', command, '/dev/null'], { cwd: tmp, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: join(root, 'tsconfig.json') }, timeout: 60_000 });
  return r.stdout;
}

(hasScript ? describe : describe.skip)('log format on a terminal', () => {
  it('is readable when nothing chooses', () => {
    expect(onTerminal('')).toMatch(/^\d\d:\d\d:\d\d INFO {2}start policy=/m);
  }, 60_000);

  it('is JSON when gateway.yaml says log.format: json', () => {
    expect(onTerminal('log: { format: json }\n')).toMatch(/^\{"time":"[^"]+","level":"info","event":"start"/m);
  }, 60_000);
});
