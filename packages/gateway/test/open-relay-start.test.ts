/**
 * The open-relay warning at start (trial 37, b11.yaml: `listen: "0.0.0.0:PORT", direction:
 * outbound` started without a word): the gateway logs it for the address it bound, and not for
 * a loopback listener (local submission).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLog, defaultConfig, startGateway } from '../src/index';

async function startLines(listen: string): Promise<Record<string, unknown>[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mw-open-relay-'));
  const lines: Record<string, unknown>[] = [];
  writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
  const gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen, direction: 'outbound' }],
  }, createLog('info', (l) => lines.push(JSON.parse(l) as Record<string, unknown>), false));
  try {
    return lines;
  } finally {
    await gw.stop(1000);
    rmSync(dir, { recursive: true, force: true });
  }
}

it('warns at start that an outbound listener on every address is an open relay, naming it', async () => {
  const lines = await startLines('0.0.0.0:0');
  const listening = lines.find((l) => l.event === 'listening')!;
  expect(lines.find((l) => l.event === 'open-relay')).toMatchObject({
    level: 'warn', listen: '0.0.0.0:0', host: '0.0.0.0', port: listening.port,
    message: expect.stringMatching(/^listener 0\.0\.0\.0:0 says direction: outbound, so it is an open relay/),
  });
});

it('does not warn for an outbound listener on loopback', async () => {
  const lines = await startLines('127.0.0.1:0');
  expect(lines.some((l) => l.event === 'listening')).toBe(true);
  expect(lines.some((l) => l.event === 'open-relay')).toBe(false);
});
