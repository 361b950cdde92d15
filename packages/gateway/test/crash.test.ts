/**
 * Nothing acknowledged is lost: 20 concurrent SMTP sessions send numbered messages into a real
 * `mailward serve` process that is killed with SIGKILL at random moments and restarted. Every
 * message that got a 250 must reach the hub (at least once); duplicates are counted and shown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { eventually, startHub, type HubSink } from './hub-sink';
import { freePort } from './free-port';

const ROOT = join(__dirname, '../../..');
const BIN = join(ROOT, 'packages/cli/bin/mailward.js');
const MESSAGES = 200;
const SESSIONS = 20;
const KILLS = 4;

describe('crash safety (kill -9 while receiving and delivering)', () => {
  let dir: string;
  let hub: HubSink;
  let child: ChildProcess | undefined;
  let port: number;

  const startServe = async (): Promise<void> => {
    const proc = spawn(process.execPath, [BIN, 'serve', '--config', join(dir, 'gateway.yaml')], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
    child = proc;
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    await eventually(() => out.includes('listening on') || proc.exitCode !== null, 15_000);
    if (proc.exitCode !== null) throw new Error('mailward serve exited at start');
  };

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'packages/cli/dist/main.js'))) throw new Error('run `npm run build` first (npm test does it)');
    dir = mkdtempSync(join(tmpdir(), 'mw-crash-'));
    hub = await startHub();
    port = await freePort();
    writeFileSync(join(dir, 'policy.yaml'), [
      'version: 1', 'smtp: { greetPause: 0 }', 'rcpt:', '  rules:', '    - id: ours', '      when: { recipient: { domain: acme.example } }', '      do: [ accept ]', '',
    ].join('\n'));
    writeFileSync(join(dir, 'gateway.yaml'), [
      'hostname: gw.test', 'policy: policy.yaml', `listeners: [ { listen: "127.0.0.1:${port}" } ]`, 'spool: spool',
      `delivery: { mode: smtp, hubs: ["127.0.0.1:${hub.port}"], timeout: 5 }`,
      'queue: { scanPeriod: 0.1, resendPeriod: 0.2, maxBackoff: 1 }', 'secret: crash-test-secret-0123456789', 'log: { level: error }', '',
    ].join('\n'));
    await startServe();
  }, 30_000);

  afterAll(async () => {
    child?.kill('SIGKILL');
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged message through ${KILLS} SIGKILLs`, async () => {
    const acked = new Set<number>();
    let next = 0;
    let refusedOrCut = 0;
    const sendOne = async (seq: number): Promise<boolean> => {
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true, connectionTimeout: 3000, greetingTimeout: 3000, socketTimeout: 5000 });
      try {
        const info = await transport.sendMail({ envelope: { from: 'load@example.org', to: ['bob@acme.example'] }, raw: `X-Seq: ${seq}\r\nSubject: m${seq}\r\n\r\n${'body line\r\n'.repeat(50)}` });
        if (/^250 /.test(info.response)) acked.add(seq);
        return true;
      } catch {
        refusedOrCut++;
        return false;
      } finally {
        transport.close();
      }
    };
    const worker = async (): Promise<void> => {
      while (next < MESSAGES) {
        const seq = next++;
        // A client whose session was cut retries the same message later, as an MTA would.
        for (let tries = 0; tries < 50 && !(await sendOne(seq)); tries++) await new Promise((r) => setTimeout(r, 100));
      }
    };
    const killer = async (): Promise<void> => {
      for (let k = 0; k < KILLS; k++) {
        await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
        const proc = child!;
        const gone = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGKILL');
        await gone;
        await startServe();
      }
    };
    await Promise.all([...Array.from({ length: SESSIONS }, worker), killer()]);
    const arrived = () => new Set(hub.received.map((m) => Number(/X-Seq: (\d+)/.exec(m.data)?.[1])));
    await eventually(() => [...acked].every((s) => arrived().has(s)), 30_000).catch(() => undefined);
    const missing = [...acked].filter((s) => !arrived().has(s));
    const duplicates = hub.received.length - arrived().size;
    process.stdout.write(`crash test: ${acked.size} acknowledged, ${hub.received.length} delivered, ${duplicates} duplicates, ${refusedOrCut} sessions cut or refused and retried, ${KILLS} kills\n`);
    expect(missing).toEqual([]);
    expect(acked.size).toBe(MESSAGES);
    expect(readdirSync(join(dir, 'spool/corrupt'))).toEqual([]);
  }, 120_000);
});
