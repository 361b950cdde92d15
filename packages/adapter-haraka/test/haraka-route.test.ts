/**
 * `route` through a real Haraka 3.3 process: the routed message goes to the route's host, not to
 * the host smtp_forward.ini gives (trial 38: smtp_forward's queue hook took its own config and
 * read queue.next_hop only in get_mx, so inbound mail went to the default host). The plugin
 * hands a routed message to Haraka's outbound, whose get_mx (smtp_forward's) takes the next hop.
 */
import { HarakaProcess, buildPlugin } from './support/haraka-process';
import { Sink } from './support/sink';
import { SmtpDialog } from './support/smtp-dialog';
import { textMessage } from './fixtures/messages';

const crlf = (s: string): string => s.replace(/\r?\n/g, '\r\n');

let fallback: Sink;
let routed: Sink;
let haraka: HarakaProcess;

beforeAll(async () => {
  await buildPlugin();
  [fallback, routed] = await Promise.all([Sink.start(), Sink.start()]);
  const policy = `version: 1
name: route-e2e
rcpt:
  rules:
    - id: to-branch
      when: { recipient: { domain: branch.example } }
      do: [ { route: { via: ["127.0.0.1:${routed.port}"] } }, accept ]
    - id: ours
      when: { recipient: { domain: acme.example } }
      do: [ accept ]
`;
  haraka = await HarakaProcess.start({
    plugins: ['mailward', 'queue/smtp_forward'], mailwardYaml: 'policy: policy.yaml\nsecret: e2e-secret\n', policy,
    files: { 'smtp_forward.ini': `host=127.0.0.1\nport=${fallback.port}\nenable_tls=false\n` },
  });
}, 120_000);

afterAll(async () => {
  await haraka?.stop();
  await Promise.all([fallback?.stop(), routed?.stop()]);
});

async function send(to: string, subject: string): Promise<number> {
  const { dialog } = await SmtpDialog.open(haraka.port);
  expect((await dialog.command('EHLO client.example.org')).code).toBe(250);
  expect((await dialog.command('MAIL FROM:<penny@example.org>')).code).toBe(250);
  expect((await dialog.command(`RCPT TO:<${to}>`)).code).toBe(250);
  const { end } = await dialog.data(crlf(textMessage(subject)));
  await dialog.close();
  return end!.code;
}

it('delivers a routed message to the route host, and the others where smtp_forward.ini says', async () => {
  expect(await send('bob@branch.example', 'for the branch')).toBe(250);
  expect(await send('al@acme.example', 'for the hub')).toBe(250);
  const [atBranch] = await routed.waitFor(1);
  expect(atBranch!.to).toEqual(['bob@branch.example']);
  expect(atBranch!.raw.toString('utf8')).toContain('for the branch');
  const [atHub] = await fallback.waitFor(1);
  expect(atHub!.raw.toString('utf8')).toContain('for the hub');
  expect(fallback.messages.some((m) => m.raw.toString('utf8').includes('for the branch'))).toBe(false);
}, 60_000);
