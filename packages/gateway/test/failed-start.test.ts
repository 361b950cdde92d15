/**
 * A start that fails (a port in use) closes what it had opened and rejects: no listener stays
 * bound holding clients with no banner, no admin answers /healthz, and the spool lock is gone.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLog, defaultConfig, startGateway } from '../src/index';

const POLICY = 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n';

let dir: string;
let taken: Server;
let takenPort: number;
const clients: Socket[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-failed-start-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  takenPort = (taken.address() as { port: number }).port;
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await new Promise((r) => taken.close(r));
  rmSync(dir, { recursive: true, force: true });
});

/** Binds the port and lets it go: rejects with EADDRINUSE while something still holds it. */
function bindable(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

it('a second listener on a port in use: the first is closed, its held client dropped, the admin closed, the lock gone', async () => {
  const ports: Record<string, number> = {};
  let held: Promise<void> | undefined;
  // A client of the first listener, connected once it is bound: held until the drop of privileges, which never comes.
  const log = createLog('info', (line) => {
    const fields = JSON.parse(line) as { event: string; port: number };
    if (fields.event !== 'listening' && fields.event !== 'admin-listening') return;
    ports[fields.event] = fields.port;
    if (fields.event !== 'listening') return;
    const client = connect(fields.port, '127.0.0.1');
    client.on('error', () => undefined);
    clients.push(client);
    held = new Promise((r) => client.once('close', () => r()));
  }, false);
  const config = {
    ...defaultConfig(dir),
    policy: join(dir, 'policy.yaml'),
    listeners: [{ listen: '127.0.0.1:0' }, { listen: `127.0.0.1:${takenPort}` }],
    admin: { listen: '127.0.0.1:0' },
  };
  await expect(startGateway(config, log)).rejects.toThrow(`listen EADDRINUSE: address already in use 127.0.0.1:${takenPort}`);
  expect(ports.listening).toBeGreaterThan(0);
  await bindable(ports.listening!);
  await bindable(ports['admin-listening']!);
  expect(existsSync(join(dir, 'var/spool'))).toBe(true);
  expect(existsSync(join(dir, 'var/spool/lock'))).toBe(false);
  await held; // closed by the gateway, unanswered
});

it('an admin listen on a port in use: the start rejects naming the admin listen, and the lock is gone', async () => {
  const lines: string[] = [];
  const config = {
    ...defaultConfig(dir),
    policy: join(dir, 'policy.yaml'),
    listeners: [{ listen: '127.0.0.1:0' }],
    admin: { listen: `127.0.0.1:${takenPort}` },
  };
  await expect(startGateway(config, createLog('info', (line) => lines.push(line), false))).rejects.toThrow(`admin listen "127.0.0.1:${takenPort}": listen EADDRINUSE`);
  expect(existsSync(join(dir, 'var/spool/lock'))).toBe(false);
  expect(lines.join('')).not.toMatch(/"event":"listening"/);
});
