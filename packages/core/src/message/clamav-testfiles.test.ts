import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { analyze, analyzeFile } from './analyze';
import type { MessageModel } from './model';

// Debian's clamav-testfiles: real samples of mail and archives carrying clam.exe.
const DIR = '/usr/share/clamav-testfiles';
const present = existsSync(join(DIR, 'clam.zip'));
if (!present && process.env.CI === 'true') {
  throw new Error(`${DIR} is missing: CI must install clamav-testfiles (.ci/apt-packages.txt)`);
}
if (!present) console.warn(`clamav-testfiles not installed (${DIR}): these cases are skipped. apt-get install clamav-testfiles`);
const maybe = present ? describe : describe.skip;

/** Analyze a message that carries the sample as its only attachment, base64. */
function wrapped(file: string): Promise<MessageModel> {
  const data = readFileSync(join(DIR, file));
  const eml = [
    'From: a@example.org', 'To: b@acme.example', 'Subject: sample', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary=S', '', '--S', 'Content-Type: text/plain', '', 'see attached',
    '--S', `Content-Type: application/octet-stream; name="${file}"`, 'Content-Transfer-Encoding: base64', '',
    data.toString('base64').replace(/.{76}/g, '$&\r\n'), '--S--', '',
  ].join('\r\n');
  return analyze(Readable.from([Buffer.from(eml)]));
}

maybe('analyze over clamav-testfiles', () => {
  it('finds clam.exe in clam.mail', async () => {
    const m = await analyzeFile(join(DIR, 'clam.mail'));
    expect(m.parts.find((p) => p.filenames.includes('clam.exe'))).toMatchObject({ type: 'application/x-ms-dos-executable', inArchive: false });
  });

  it('finds clam.exe in the base64 mbox sample (which starts with an mbox From_ line)', async () => {
    const m = await analyzeFile(join(DIR, 'clam.exe.mbox.base64'));
    expect(m.parts.some((p) => p.filenames.includes('clam.exe'))).toBe(true);
  });

  it.each([
    ['clam.zip', 'clam.exe'],
    ['clam.tar.gz', 'clam.exe'],
    ['clam.impl.zip', 'clam.exe'],
    ['clam.bz2.zip', 'clam.exe'],
    ['clam.tnef', 'clam.exe'],
  ])('lists the members of %s', async (file, member) => {
    const m = await wrapped(file);
    const found = m.parts.find((p) => p.inArchive && p.filenames.some((n) => n.toLowerCase() === member));
    expect(found).toMatchObject({ carrier: '2', inArchive: true });
  });

  it('does not call clam.exe a name mismatch: its name says what it is', async () => {
    const m = await wrapped('clam.exe');
    expect(m.parts[2]).toMatchObject({ filenames: ['clam.exe'], nameMismatch: false });
  });
});
