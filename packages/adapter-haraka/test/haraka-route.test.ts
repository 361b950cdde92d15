/**
 * `route` through a real Haraka 3.3 process: the routed message goes to the route's host, not to
 * the host smtp_forward.ini gives (trial 38: smtp_forward's queue hook took its own config and
 * read queue.next_hop only in get_mx, so inbound mail went to the default host). The plugin
 * hands a routed message to Haraka's outbound, whose get_mx (smtp_forward's) takes the next hop.
 *
 * Haraka sends a whole transaction to one next hop, so a routed recipient and an unrouted one in
 * the same transaction both went to the route's host (review: al@acme.example reached the branch
 * sink). Now the first accepted recipient fixes the transaction's route; a recipient with another
 * gets 452 4.5.3, and resent in a transaction of its own it reaches its own route.
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

const subjectOf = (raw: Buffer): string => /^Subject: (.*)$/m.exec(raw.toString('utf8'))?.[1]?.trim() ?? '';

it('refuses a recipient of another route with 452 4.5.3, and delivers each where its route says', async () => {
  const { dialog } = await SmtpDialog.open(haraka.port);
  expect((await dialog.command('EHLO client.example.org')).code).toBe(250);

  // Routed first: the unrouted recipient is the one sent back.
  expect((await dialog.command('MAIL FROM:<penny@example.org>')).code).toBe(250);
  expect((await dialog.command('RCPT TO:<bob@branch.example>')).code).toBe(250);
  const other = await dialog.command('RCPT TO:<al@acme.example>');
  expect(other.code).toBe(452);
  expect(other.text).toMatch(/^4\.5\.3 different delivery route/);
  expect((await dialog.data(crlf(textMessage('branch only')))).end?.code).toBe(250);

  // The client's retry, alone in the next transaction of the same session.
  expect((await dialog.command('MAIL FROM:<penny@example.org>')).code).toBe(250);
  expect((await dialog.command('RCPT TO:<al@acme.example>')).code).toBe(250);
  expect((await dialog.data(crlf(textMessage('hub retry')))).end?.code).toBe(250);

  // Unrouted first, then RSET: the route of an abandoned transaction is not kept.
  expect((await dialog.command('MAIL FROM:<penny@example.org>')).code).toBe(250);
  expect((await dialog.command('RCPT TO:<al@acme.example>')).code).toBe(250);
  expect((await dialog.command('RCPT TO:<bob@branch.example>')).code).toBe(452);
  expect((await dialog.command('RSET')).code).toBe(250);
  expect((await dialog.command('MAIL FROM:<penny@example.org>')).code).toBe(250);
  expect((await dialog.command('RCPT TO:<bob@branch.example>')).code).toBe(250);
  expect((await dialog.command('RCPT TO:<carol@branch.example>')).code).toBe(250); // same route: accepted
  expect((await dialog.data(crlf(textMessage('branch retry')))).end?.code).toBe(250);
  await dialog.close();

  // After the first test's message at each sink.
  const atBranch = (await routed.waitFor(3)).slice(1);
  const atHub = (await fallback.waitFor(2)).slice(1);
  const byBranch = Object.fromEntries(atBranch.map((m) => [subjectOf(m.raw), m.to]));
  expect(byBranch).toEqual({
    'branch only': ['bob@branch.example'],
    'branch retry': ['bob@branch.example', 'carol@branch.example'],
  });
  expect(atHub.map((m) => [subjectOf(m.raw), m.to])).toEqual([['hub retry', ['al@acme.example']]]);
}, 60_000);
