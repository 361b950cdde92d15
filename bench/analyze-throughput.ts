/**
 * analyze() against the floor it stands on: a bare mailsplit Splitter -> Joiner pass over the
 * same bytes, in the same run. Reported as MB/s, messages/s and the ratio analyze / pass-through.
 */
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Joiner, Splitter } from '@zone-eu/mailsplit';
import { analyze } from '../packages/core/src/index';

const sink = (): Writable => new Writable({ write: (_c, _e, cb) => cb() });

/** A message with a text part and `attachments` base64 attachments of `size` bytes each. */
export function sampleMessage(attachments: number, size: number): Buffer {
  const lines = ['From: a@example.org', 'To: b@acme.example', 'Subject: bench', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=BENCH', '', '--BENCH', 'Content-Type: text/plain', '', 'Hello,'.repeat(40)];
  for (let i = 0; i < attachments; i++) {
    const data = Buffer.alloc(size, i + 65).toString('base64').replace(/.{76}/g, '$&\r\n');
    lines.push('--BENCH', `Content-Type: application/pdf; name="file${i}.pdf"`, 'Content-Transfer-Encoding: base64', '', data);
  }
  lines.push('--BENCH--', '');
  return Buffer.from(lines.join('\r\n'));
}

const chunks = (buf: Buffer): Buffer[] => {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += 64 * 1024) out.push(buf.subarray(i, i + 64 * 1024));
  return out;
};

async function timed(times: number, run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(3, times); i++) await run();
  const start = process.hrtime.bigint();
  for (let i = 0; i < times; i++) await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Rows for the engine benchmark's table. */
export async function analyzeRows(): Promise<[string, string][]> {
  const rows: [string, string][] = [];
  for (const [label, message, times] of [
    ['20 MB message', sampleMessage(4, 3_700_000), 5],
    ['5 KB message', sampleMessage(1, 2_000), 3000],
  ] as const) {
    const parts = chunks(message);
    const plain = await timed(times, () => pipeline(Readable.from(parts), new Splitter(), new Joiner(), sink()));
    const ours = await timed(times, () => analyze(Readable.from(parts)));
    const mb = (message.length * times) / 1e6;
    rows.push([`${label}: Splitter -> Joiner MB/s`, (mb / plain).toFixed(1)]);
    rows.push([`${label}: analyze MB/s`, (mb / ours).toFixed(1)]);
    rows.push([`${label}: analyze messages/s`, (times / ours).toFixed(0)]);
    rows.push([`${label}: analyze / pass-through speed`, (plain / ours).toFixed(2)]);
  }
  return rows;
}
