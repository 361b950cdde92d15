import * as path from 'node:path';
import { parseSettings } from './settings';
import { yamlLocator } from '@mailward/core';

describe('parseSettings (config/mailward.yaml)', () => {
  const dir = '/etc/haraka/config';

  it('takes a policy path relative to the config directory, with defaults', () => {
    expect(parseSettings({ policy: 'policy.yaml', secret: 'k' }, dir)).toEqual({
      policy: { kind: 'file', path: path.join(dir, 'policy.yaml') },
      secret: 'k',
      factTimeoutMs: 5000,
      useHarakaResults: true,
    });
  });

  it('keeps an absolute policy path and reads durations, facts and a quarantine dir', () => {
    const s = parseSettings(
      { policy: '/srv/p.yaml', factTimeout: '800ms', facts: { clamd: { port: 3310 } }, quarantine: { dir: 'q' }, useHarakaResults: false },
      dir,
    );
    expect(s.policy).toEqual({ kind: 'file', path: '/srv/p.yaml' });
    expect(s.factTimeoutMs).toBe(800);
    expect(s.facts).toEqual({ clamd: { port: 3310 } });
    expect(s.quarantineDir).toBe(path.join(dir, 'q'));
    expect(s.useHarakaResults).toBe(false);
    expect(parseSettings({ policy: 'p', factTimeout: '2s' }, dir).factTimeoutMs).toBe(2000);
  });

  it('reads factTimeout with the units of policy durations, h and d too (trial 38)', () => {
    expect(parseSettings({ policy: 'p', factTimeout: '1h' }, dir).factTimeoutMs).toBe(3_600_000);
    expect(parseSettings({ policy: 'p', factTimeout: '1d' }, dir).factTimeoutMs).toBe(86_400_000);
    expect(parseSettings({ policy: 'p', factTimeout: '1.5m' }, dir).factTimeoutMs).toBe(90_000);
  });

  it('accepts a policy written inline', () => {
    const inline = { version: 1, rcpt: { default: 'accept' } };
    expect(parseSettings({ policy: inline }, dir).policy).toEqual({ kind: 'inline', policy: inline });
  });

  it.each([
    [null, /expected a map/],
    [{}, /`policy` is missing/],
    [{ policy: 'p', polcy: 'x' }, /unknown key `polcy`/],
    [{ policy: 'p', factTimeout: 'soon' }, /factTimeout/],
    // A bare number was taken as milliseconds, silently (trial 38): `factTimeout: 5` meant 5 ms.
    [{ policy: 'p', factTimeout: 5 }, /`factTimeout: 5` has no unit: write one, such as 5s/],
    [{ policy: 'p', factTimeout: '800' }, /`factTimeout: 800` has no unit/],
    [{ policy: 'p', factTimeout: '0s' }, /factTimeout/],
    [{ policy: 'p', factTimeout: '5 weeks' }, /factTimeout/],
    [{ policy: 'p', quarantine: 'q' }, /quarantine/],
    [{ policy: 'p', useHarakaResults: 'yes' }, /useHarakaResults/],
  ])('rejects %j with a typed error saying what to change', (raw, message) => {
    let caught: unknown;
    try {
      parseSettings(raw, dir);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'MW_HARAKA_CONFIG_INVALID' });
    expect((caught as Error).message).toMatch(message);
  });

  it('reports every mistake at once, each at its line and column (trial H: only the first was)', () => {
    const text = 'policy: policy.yaml\nfactTimeout: 5\npolcy: x\nquarantine: q\n';
    const raw = { policy: 'policy.yaml', factTimeout: 5, polcy: 'x', quarantine: 'q' };
    expect(() => parseSettings(raw, dir, yamlLocator(text))).toThrow([
      'config/mailward.yaml:3:1: unknown key `polcy`; known keys are policy, secret, factTimeout, facts, quarantine, useHarakaResults, postmaster',
      'config/mailward.yaml:2:1: `factTimeout: 5` has no unit: write one, such as 5s or 5ms (units ms, s, m, h, d)',
      'config/mailward.yaml:4:1: `quarantine` must be `{ dir: /path/to/quarantine }`',
    ].join('\n'));
  });
});
