/**
 * What haraka-plugin-mailward costs Haraka: the same messages through plain Haraka
 * (rcpt_to.in_host_list + queue/smtp_forward) and through Haraka + mailward running the Firebox
 * inbound policy (+ queue/smtp_forward), both delivering to the same smtp-server sink.
 *
 *   node -r ts-node/register/transpile-only bench/haraka.ts [messages=2000] [connections=10]
 */
import * as path from 'node:path';
import { HarakaProcess, buildPlugin, type HarakaSetup } from '../packages/adapter-haraka/test/support/haraka-process';
import { Sink } from '../packages/adapter-haraka/test/support/sink';
import { SmtpDialog } from '../packages/adapter-haraka/test/support/smtp-dialog';

const MESSAGES = Number(process.argv[2] ?? 2000);
const CONNECTIONS = Number(process.argv[3] ?? 10);
const POLICY = path.resolve(__dirname, '../examples/firebox-inbound/policy.yaml');

/** About 5 KB: a text part, a PDF (kept) and an .exe (stripped by the Firebox policy). */
function message(n: number): string {
  const blob = Buffer.alloc(1500, n % 251).toString('base64').replace(/.{76}/g, '$&\r\n');
  return [
    'From: Penny <penny@example.org>', 'To: al@acme.example', `Subject: bench ${n}`,
    `Message-ID: <${n}@example.org>`, 'X-Mailer: bench', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '',
    'Hello Al, the report is attached.', '--b', 'Content-Type: application/pdf; name="r.pdf"',
    'Content-Transfer-Encoding: base64', '', blob, '--b',
    'Content-Type: application/octet-stream; name="setup.exe"', 'Content-Disposition: attachment; filename="setup.exe"',
    'Content-Transfer-Encoding: base64', '', blob, '--b--', '',
  ].join('\r\n');
}

async function run(label: string, setup: HarakaSetup, sink: Sink): Promise<{ label: string; seconds: number; rate: number }> {
  const haraka = await HarakaProcess.start(setup);
  try {
    const base = sink.messages.length;
    const started = process.hrtime.bigint();
    let next = 0;
    await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
      const { dialog } = await SmtpDialog.open(haraka.port);
      await dialog.command('EHLO bench.example.org');
      while (next < MESSAGES) {
        const n = next++;
        await dialog.command('MAIL FROM:<penny@example.org>');
        const rcpt = await dialog.command('RCPT TO:<al@acme.example>');
        if (rcpt.code !== 250) throw new Error(`${label}: RCPT got ${rcpt.code} ${rcpt.text}`);
        const { end } = await dialog.data(message(n));
        if (end?.code !== 250) throw new Error(`${label}: DATA got ${end?.code} ${end?.text}`);
      }
      await dialog.close();
    }));
    await sink.waitFor(base + MESSAGES);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { label, seconds, rate: MESSAGES / seconds };
  } finally {
    await haraka.stop();
  }
}

async function main(): Promise<void> {
  await buildPlugin();
  const sink = await Sink.start();
  try {
    const plain = await run('Haraka', {
      plugins: ['rcpt_to.in_host_list', 'queue/smtp_forward'],
      files: { host_list: 'acme.example\n', loglevel: 'notice\n' },
      sinkPort: sink.port,
    }, sink);
    const withMailward = await run('Haraka + haraka-plugin-mailward', {
      plugins: ['mailward', 'queue/smtp_forward'],
      mailwardYaml: `policy: ${POLICY}\nsecret: bench\n`,
      files: { loglevel: 'notice\n' },
      sinkPort: sink.port,
    }, sink);
    console.log(`\n${MESSAGES} messages of ~5 KB over ${CONNECTIONS} connections, nodes=0, one sink\n`);
    console.log('| setup | seconds | messages/s | vs plain |');
    console.log('|---|---:|---:|---:|');
    for (const r of [plain, withMailward]) {
      console.log(`| ${r.label} | ${r.seconds.toFixed(2)} | ${r.rate.toFixed(0)} | ${(r.rate / plain.rate).toFixed(2)} |`);
    }
  } finally {
    await sink.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
