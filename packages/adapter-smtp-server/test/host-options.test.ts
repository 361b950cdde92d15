import type { AddressInfo } from 'node:net';
import { loadPolicy } from '@mailward/core';
import type { SMTPServer, SMTPServerOptions } from 'smtp-server';
import { createPolicyServer, memoryStore } from '../src/index';
import { openDialog } from './smtp-dialog';
import { testCertificate } from './tls-dialog';

const policy = loadPolicy('version: 1\nsmtp: { greetPause: 0 }\n', 'test.yaml');
const create = (server: object): unknown => createPolicyServer({ policy: () => policy, store: memoryStore(async () => 'Q1'), server });

describe('the host smtp-server options createPolicyServer takes', () => {
  it('refuses implicit TLS without the host certificate (smtp-server would use its public built-in key)', () => {
    expect(() => create({ secure: true })).toThrow(/secure: true needs the host's own key and cert/);
    expect(() => create({ secure: true, key: 'k' })).toThrow(/key and cert/);
  });

  it('refuses the hooks the adapter sets itself, which would be silently replaced or never called', () => {
    const hook = (): void => undefined;
    for (const name of ['onConnect', 'onMailFrom', 'onRcptTo', 'onData']) {
      expect(() => create({ [name]: hook })).toThrow(new RegExp(`server.${name} cannot be given: the adapter runs the policy there`));
    }
    expect(() => create({ onAuth: hook })).toThrow(/server.onAuth cannot be given: pass authenticate/);
    expect(() => create({ onClose: hook, banner: 'Trial' })).not.toThrow();
  });
});

describe("the host's options that createPolicyServer keeps", () => {
  const serve = async (server: Partial<SMTPServerOptions>, events: Record<string, unknown>[] = []): Promise<{ server: SMTPServer; port: number }> => {
    const s = createPolicyServer({ policy: () => policy, store: memoryStore(async () => 'Q1'), server, log: (e) => events.push(e) });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    return { server: s, port: (s.server.address() as AddressInfo).port };
  };
  const close = (s: SMTPServer): Promise<void> => new Promise((r) => s.close(() => r()));

  it("calls the host's onClose, after the adapter's close line", async () => {
    const order: string[] = [];
    const closed: string[] = [];
    const events: Record<string, unknown>[] = [];
    let done: () => void;
    const called = new Promise<void>((r) => (done = r));
    const { server, port } = await serve({
      onClose: (session) => {
        closed.push(session.id);
        order.push(`host:${events.filter((e) => e.event === 'close').length}`);
        done();
      },
    }, events);
    const d = await openDialog(port);
    expect(await d.send('QUIT\r\n')).toMatch(/^221/);
    await called;
    expect(closed).toEqual([expect.any(String)]);
    expect(order).toEqual(['host:1']);
    expect(events.find((e) => e.event === 'close')).toMatchObject({ session: closed[0], reason: 'quit' });
    await close(server);
  });

  it("adds the host's disabled commands to the policy's, and keeps the keywords it hides", async () => {
    const { server, port } = await serve({ ...testCertificate(), disabledCommands: ['noop'], hideSTARTTLS: true, hide8BITMIME: true, hideSMTPUTF8: true, hidePIPELINING: true });
    const d = await openDialog(port);
    try {
      const ehlo = await d.send('EHLO client.example\r\n');
      expect(ehlo).not.toMatch(/8BITMIME|SMTPUTF8|PIPELINING|STARTTLS/);
      expect(await d.send('NOOP\r\n')).toMatch(/^500 /);
      expect(await d.send('VRFY bob\r\n')).toMatch(/^500 /);
      // What is hidden is not taken either.
      expect(await d.send('MAIL FROM:<a@example.org> BODY=8BITMIME\r\n')).toMatch(/^555 5\.5\.4 Parameter not supported: BODY= \(8BITMIME/);
      expect(await d.send('MAIL FROM:<a@example.org> SMTPUTF8\r\n')).toMatch(/^555 5\.5\.4 /);
      expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^250/);
    } finally {
      d.close();
      await close(server);
    }
  });
});
