import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { loadPolicy } from '@mailward/core';
import { createPolicyServer, memoryStore } from '../src/index';

// A scanner that cannot be reached must never let a message through as clean.
const policy = loadPolicy(`
version: 1
smtp: { greetPause: 0 }
rcpt:
  rules:
    - id: all
      do: [ accept ]
data:
  rules:
    - id: virus
      when: { virus: true }
      do: [ { quarantine: { reason: virus } } ]
`, 'scanner.yaml');

it('answers 451 at the end of DATA when the virus scanner fails, and keeps nothing', async () => {
  const kept: string[] = [];
  const server = createPolicyServer({
    policy: () => policy,
    providers: { virus: async () => { throw new Error('connect ECONNREFUSED 127.0.0.1:3310'); } },
    store: memoryStore(async () => { kept.push('x'); return 'Q'; }),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (server.server.address() as AddressInfo).port;
    await expect(nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true })
      .sendMail({ envelope: { from: 'a@example.org', to: ['b@acme.example'] }, raw: 'Subject: x\r\n\r\ny\r\n' }))
      .rejects.toMatchObject({ responseCode: 451 });
    expect(kept).toEqual([]);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

it('says on the decision line why the scanner failed', async () => {
  const logged: Record<string, unknown>[] = [];
  const server = createPolicyServer({
    policy: () => policy,
    providers: { virus: async () => { throw new Error('clamd 127.0.0.1:3310: no answer within 3000 ms'); } },
    store: memoryStore(async () => 'Q'),
    log: (event) => logged.push(event),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (server.server.address() as AddressInfo).port;
    await expect(nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true })
      .sendMail({ envelope: { from: 'a@example.org', to: ['b@acme.example'] }, raw: 'Subject: x\r\n\r\ny\r\n' }))
      .rejects.toMatchObject({ responseCode: 451 });
    const data = logged.find((e) => e.event === 'decision' && e.stage === 'data');
    expect(data).toMatchObject({ verdict: 'tempfail', rule: 'virus', factErrors: { virus: 'virus lookup failed: clamd 127.0.0.1:3310: no answer within 3000 ms' } });
    expect(logged.find((e) => e.event === 'decision' && e.stage === 'rcpt')).not.toHaveProperty('factErrors');
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
