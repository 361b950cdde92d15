/** What a store's failure answers: its own SMTP refusal as it is, anything else 451. */
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { loadPolicy } from '@mailward/core';
import { createPolicyServer, memoryStore } from '../src/index';

const POLICY = loadPolicy('version: 1\nsmtp: { greetPause: 0 }\nrcpt: { rules: [ { id: all, do: [ accept ] } ] }\n', 'p.yaml');

async function serving(fail: (to: string) => Error, run: (port: number) => Promise<void>): Promise<void> {
  const server = createPolicyServer({ policy: () => POLICY, store: memoryStore(async (m) => { throw fail(m.recipients[0]!.address); }) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    await run((server.server.address() as AddressInfo).port);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

const send = (port: number, to: string) => nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true })
  .sendMail({ envelope: { from: 'a@example.org', to: [to] }, raw: 'Subject: x\r\n\r\ny\r\n' });

it('gives a refusal the store makes with a code and status as it is, and 451 for any other failure', async () => {
  const fail = (to: string): Error => (to.startsWith('full')
    ? Object.assign(new Error('5.2.2 Mailbox full'), { responseCode: 552 })
    : Object.assign(new Error('ENOSPC: no space left on device'), { responseCode: 552, code: 'ENOSPC' }));
  await serving(fail, async (port) => {
    await expect(send(port, 'full@acme.example')).rejects.toMatchObject({ responseCode: 552, response: '552 5.2.2 Mailbox full' });
    // A failure that only looks like one (no enhanced status) is ours: temporary.
    await expect(send(port, 'disk@acme.example')).rejects.toMatchObject({ responseCode: 451 });
  });
});
