import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { deflateRawSync } from 'node:zlib';
import { analyze } from './analyze';
import { evaluate } from '../engine/evaluate';
import { loadPolicy } from '../policy/load';
import { rewrite } from '../rewrite/rewrite';

// A mail saved in an archive (.eml) is opened as an attached message is: what it carries is
// analyzed, in the archive, and a strip replaces the outermost attachment.

const corpus = (file: string): Buffer => readFileSync(join(__dirname, '../../test/evasion/messages', file));

/** A one-entry zip (deflated), enough for the listing. */
function zipOf(name: string, data: Buffer): Buffer {
  const packed = deflateRawSync(data);
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
  local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
  central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(n.length, 28);
  const dir = Buffer.concat([central, n]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(30 + n.length + packed.length, 16);
  return Buffer.concat([local, n, packed, dir, end]);
}

const b64 = (data: Buffer): string => data.toString('base64').replace(/.{76}/g, '$&\r\n');

/** A mail with one attachment named `name`, nested `levels` times as fwd.eml in a zip. */
function nested(levels: number): Buffer {
  let inner = Buffer.from(['MIME-Version: 1.0', 'Content-Type: application/octet-stream; name="tool.exe"', 'Content-Transfer-Encoding: base64', '', b64(Buffer.from('MZ\x90\x00program')), ''].join('\r\n'));
  for (let i = 0; i < levels; i++) {
    inner = Buffer.from(['MIME-Version: 1.0', 'Content-Type: application/zip; name="m.zip"', 'Content-Transfer-Encoding: base64', '', b64(zipOf('fwd.eml', inner)), ''].join('\r\n'));
  }
  return Buffer.concat([Buffer.from('From: a@example.org\r\nTo: b@acme.example\r\nSubject: n\r\n'), inner]);
}

const NAMES_ONLY = loadPolicy([
  'version: 1', 'name: names-only', 'data:', '  rules:',
  '    - { id: programs, when: { part: { filename: "*.exe" } }, do: [ strip ] }',
  '    - { id: unopened, when: { malformed: limits }, do: [ { quarantine: { reason: not opened } } ] }', '',
].join('\n'), 'policy.yaml');

async function decide(data: Buffer, maxDepth?: number) {
  const model = await analyze(Readable.from([data]), maxDepth ? { maxDepth } : {});
  return { model, decision: evaluate(NAMES_ONLY, 'data', { client: { ip: '203.0.113.7', tls: false, authenticated: false }, sender: 'a@example.org', recipients: ['b@acme.example'], message: model }, {}) };
}

describe('a mail saved in an archive', () => {
  it.each([
    ['a zip', 'exe-in-eml-in-zip.eml'],
    ['a tar.gz', 'exe-in-eml-in-targz.eml'],
    ['a plain gzip (mail.eml.gz)', 'exe-in-gzipped-eml.eml'],
    ['winmail.dat (TNEF)', 'exe-in-eml-in-tnef.eml'],
    ['a zip in a mail in a zip', 'exe-in-zip-in-eml-in-zip.eml'],
  ])('in %s is opened: its program is seen in the archive, carried by the attachment', async (_what, file) => {
    const { model } = await decide(corpus(file));
    const program = model.parts.find((p) => p.filenames.some((n) => n.endsWith('.exe')));
    expect(program).toMatchObject({ carrier: '2', inArchive: true });
    expect(program!.path.startsWith('2/')).toBe(true);
  });

  it('is stripped whole by a policy on names alone, and the benign text stays', async () => {
    const data = corpus('exe-in-eml-in-zip.eml');
    const { decision } = await decide(data);
    expect(decision.fired).toContain('programs');
    const out = rewrite(Readable.from([data]), decision.effects);
    const chunks: Buffer[] = [];
    for await (const c of out) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('latin1');
    expect(text).not.toMatch(/UEsDB/); // no zip left in the output
    expect(text).toContain('Hello Bob');
    expect(out.changes).toEqual([expect.objectContaining({ kind: 'part-stripped', path: '2' })]);
  });

  it('past the depth limit is said as a limit, not passed unread', async () => {
    const { model, decision } = await decide(nested(6), 8);
    expect(model.parts.some((p) => p.filename === 'tool.exe')).toBe(false);
    expect(model.malformed.some((m) => m.kind === 'limits')).toBe(true);
    expect(decision.verdict).toBe('quarantine');
  });

  it('within the depth limit is opened at every level', async () => {
    const { model } = await decide(nested(6));
    expect(model.parts.find((p) => p.filename === 'tool.exe')).toMatchObject({ carrier: '0', inArchive: true });
  });
});
