import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { evaluate, gatherFacts, loadPolicy, type StageInput } from '@mailward/core';
import { createFactProviders } from '../src/create-providers';
import { RecipientVerifier } from '../src/verify/recipient-verifier';
import { freePort } from './services';

const MAILBOXES = new Set(['alice@acme.example', 'bob@acme.example']);

describe('recipient verification against a real SMTP hub', () => {
  let hub: SMTPServer;
  let port: number;
  let probes = 0;
  beforeAll(async () => {
    hub = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, cb) {
        probes++;
        if (address.address === 'busy@acme.example') return cb(Object.assign(new Error('Try later'), { responseCode: 451 }));
        if (MAILBOXES.has(address.address.toLowerCase())) return cb();
        return cb(Object.assign(new Error('No such user'), { responseCode: 550 }));
      },
    });
    await new Promise<void>((r) => hub.listen(0, '127.0.0.1', () => r()));
    port = (hub.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => hub.close(() => r())));

  it('says which recipients exist, and caches the answers', async () => {
    const v = new RecipientVerifier({ hubs: [{ host: '127.0.0.1', port }] });
    const before = probes;
    expect(await v.exists('alice@acme.example')).toBe(true);
    expect(await v.exists('nobody@acme.example')).toBe(false);
    expect(await v.exists('ALICE@acme.example')).toBe(true);
    expect(probes - before).toBe(2);
  });

  it('fails on a 4xx or a dead hub, never guessing', async () => {
    const v = new RecipientVerifier({ hubs: [{ host: '127.0.0.1', port }] });
    await expect(v.exists('busy@acme.example')).rejects.toThrow(/451/);
    const dead = new RecipientVerifier({ hubs: [{ host: '127.0.0.1', port: await freePort() }], timeoutMs: 2000 });
    await expect(dead.exists('alice@acme.example')).rejects.toThrow(/recipient verification/);
  });

  it('fails over to the next hub', async () => {
    const v = new RecipientVerifier({ hubs: [{ host: '127.0.0.1', port: await freePort() }, { host: '127.0.0.1', port }] });
    expect(await v.exists('bob@acme.example')).toBe(true);
  });

  it('lets a policy refuse unknown users at RCPT', async () => {
    const policy = loadPolicy([
      'version: 1',
      'rcpt:',
      '  rules:',
      '    - id: unknown-user',
      '      when: { recipient: { domain: acme.example, exists: false } }',
      '      do: [ { reject: { code: 550, status: 5.1.1, text: "No such user here" } } ]',
      '    - id: ours',
      '      when: { recipient: { domain: acme.example } }',
      '      do: [ accept ]',
    ].join('\n'), 'verify.yaml');
    const { providers } = createFactProviders({ verify: { hubs: [{ host: '127.0.0.1', port }] } });
    const decide = async (recipient: string) => {
      const input: StageInput = { client: { ip: '192.0.2.1', tls: false, authenticated: false }, sender: 'a@example.org', recipient, recipients: [] };
      return evaluate(policy, 'rcpt', input, await gatherFacts(policy, 'rcpt', input, providers, { timeoutMs: 5000 }));
    };
    expect(await decide('alice@acme.example')).toMatchObject({ verdict: 'accept', rule: 'ours' });
    expect(await decide('mallory@acme.example')).toMatchObject({ verdict: 'reject', rule: 'unknown-user', reply: { code: 550, status: '5.1.1' } });
    expect(await decide('busy@acme.example')).toMatchObject({ verdict: 'tempfail', reply: { code: 451 } });
  });

  it('refuses `exists` under `sender` when the policy loads', () => {
    expect(() => loadPolicy('version: 1\nmail:\n  rules:\n    - id: x\n      when: { sender: { exists: false } }\n      do: [ reject ]\n', 'p.yaml')).toThrow(/exists/);
  });
});
