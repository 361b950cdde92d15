import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayConfigError, loadGatewayConfig } from '../src/index';

describe('gateway.yaml', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mw-cfg-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts the example of docs/gateway.md, with paths relative to the file and seconds made ms', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/gateway.md'), 'utf8');
    const example = /## gateway\.yaml\n\n```yaml\n([\s\S]*?)```/.exec(doc)![1]!;
    writeFileSync(join(dir, 'gateway.yaml'), example);
    const config = loadGatewayConfig(join(dir, 'gateway.yaml'));
    expect(config.policy).toBe(join(dir, 'policy.yaml'));
    expect(config.listeners[0]!.tls!.key).toBe(join(dir, 'tls/key.pem'));
    expect(config.queue).toMatchObject({ scanPeriod: 2000, resendPeriod: 600_000, maxConns: 10 });
    expect(config.delivery).toMatchObject({ mode: 'smtp', maxConnsPerSite: 5 });
  });

  it('names file:line:col and what to change for every mistake', () => {
    writeFileSync(join(dir, 'gateway.yaml'), 'hostname: gw\nlisteners:\n  - listen: "127.0.0.1:25"\n    zone: red\ndelivery: { mode: carrier-pigeon }\n');
    try {
      loadGatewayConfig(join(dir, 'gateway.yaml'));
      throw new Error('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(GatewayConfigError);
      const text = (err as GatewayConfigError).problems.join('\n');
      expect(text).toMatch(/gateway\.yaml:3:\d+: .*`zone`; remove it or check its spelling/);
      expect(text).toMatch(/gateway\.yaml:5:\d+: \/delivery\/mode must be equal to one of the allowed values/);
    }
  });
});
