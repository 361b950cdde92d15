import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { evaluate, loadPolicy, rewrite } from '../../index';
import { analyze } from '../analyze';
import { buildZip } from '../archive/__fixtures__/build-zip';
import type { MessageModel, MimePart } from '../model';

// Fixtures made by __fixtures__/make-fixtures.sh with the openssl command line.
const fixture = (name: string): Buffer => readFileSync(join(__dirname, '__fixtures__', name));
const run = (data: Buffer | string): Promise<MessageModel> => analyze(Readable.from([Buffer.from(data)]));

/** A multipart/mixed message with a text part and `body` (base64) under `type`. */
const carrying = (body: Buffer, type: string, name = 'smime.p7m'): string =>
  'From: a@example.org\r\nTo: b@acme.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n'
  + '--B\r\nContent-Type: text/plain\r\n\r\nhello\r\n'
  + `--B\r\nContent-Type: ${type}; name="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${body.toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n--B--\r\n`;

const exe = (m: MessageModel): MimePart | undefined => m.parts.find((p) => p.filename === 'update.exe');
const said = (m: MessageModel): string[] => m.malformed.map((x) => `${x.kind} ${x.path}: ${x.detail}`);

const policy = loadPolicy([
  'version: 1',
  'name: smime',
  'data:',
  '  rules:',
  '    - id: programs',
  '      when: { part: { filename: "*.exe" } }',
  '      do: [ { strip: { notice: "Removed {filename} by rule {rule}" } } ]',
  '    - id: encrypted',
  '      when: { part: { encrypted: true } }',
  '      do: [ strip ]',
].join('\n'), 'smime.yaml');

async function decideAndRewrite(data: Buffer): Promise<{ out: Buffer; stripped: string[]; effects: number }> {
  const message = await run(data);
  const input = { client: { ip: '203.0.113.7', tls: false, authenticated: false }, sender: 'a@example.org', recipients: ['b@acme.example'], message };
  const decision = evaluate(policy, 'data', input, {});
  const stream = rewrite(Readable.from([data]), decision.effects);
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  const stripped = stream.changes.filter((c) => c.kind === 'part-stripped').map((c) => (c as { path: string }).path);
  return { out: Buffer.concat(chunks), stripped, effects: decision.effects.length };
}

describe('analyze: S/MIME opaque-signed content is opened', () => {
  it('finds a program inside an opaque-signed message (openssl smime -sign -nodetach)', async () => {
    const m = await run(fixture('exe-signed.eml'));
    expect(exe(m)).toMatchObject({ path: '0/2', carrier: '0', type: 'application/octet-stream', inArchive: false });
    expect(m.malformed).toEqual([]);
  });

  it.each([
    ['DER, definite lengths', 'exe-signed.der'],
    ['BER from -stream: indefinite lengths, constructed OCTET STRING', 'exe-signed-stream.der'],
    ['openssl cms -sign -stream', 'exe-cms-stream.der'],
    ['PEM-armoured', 'exe-signed.pem'],
  ])('finds it in a signed part, %s', async (_form, file) => {
    const m = await run(carrying(fixture(file), 'application/pkcs7-mime; smime-type=signed-data'));
    expect(exe(m)).toMatchObject({ path: '2/2', carrier: '2' });
    expect(m.malformed).toEqual([]);
  });

  it.each(['application/x-pkcs7-mime', 'application/octet-stream', 'image/gif'])('finds it whatever the part is typed (%s), by the .p7m name or the bytes', async (type) => {
    for (const name of ['smime.p7m', 'scan.dat']) expect(exe(await run(carrying(fixture('exe-signed.der'), type, name)))?.carrier).toBe('2');
  });

  it('reads a signed body and its content from temp files when over spoolAbove, and leaves none', async () => {
    const spools = (): string[] => readdirSync(tmpdir()).filter((n) => n.startsWith('mailward-spool-'));
    const before = spools();
    const m = await analyze(Readable.from([Buffer.from(carrying(fixture('exe-signed-stream.der'), 'application/pkcs7-mime'))]), { spoolAbove: 128 });
    expect(exe(m)).toMatchObject({ path: '2/2', carrier: '2' });
    expect(spools()).toEqual(before);
  });

  it('strips the signed part as the program\'s carrier, with the notice', async () => {
    const { out, stripped } = await decideAndRewrite(fixture('exe-signed.eml'));
    expect(stripped).toEqual(['0']);
    expect(out.toString('latin1')).toContain('Removed smime.p7m/update.exe by rule programs');
    expect(out.toString('latin1')).not.toContain('TVqQ');
    const { out: out2, stripped: stripped2 } = await decideAndRewrite(Buffer.from(carrying(fixture('exe-signed-stream.der'), 'application/pkcs7-mime')));
    expect(stripped2).toEqual(['2']);
    expect(out2.toString('latin1')).toContain('hello');
  });

  it('passes a benign opaque-signed message byte for byte, with no effect and no damage', async () => {
    const data = fixture('benign-signed.eml');
    const m = await run(data);
    expect(m.parts.map((p) => p.path)).toEqual(['0', '0/0']);
    expect(m.parts[1]).toMatchObject({ type: 'text/plain', carrier: '0' });
    expect(m.malformed).toEqual([]);
    const { out, effects } = await decideAndRewrite(data);
    expect(effects).toBe(0);
    expect(out.equals(data)).toBe(true);
    // A detached signature (the half of multipart/signed) is just a signature: nothing to open or say.
    const detached = await run(carrying(fixture('detached.der'), 'application/pkcs7-signature', 'smime.p7s'));
    expect([detached.parts.length, detached.malformed]).toEqual([3, []]);
  });

  it('marks enveloped (encrypted) data encrypted, which a part: { encrypted: true } rule strips', async () => {
    const data = Buffer.from(carrying(fixture('enveloped.der'), 'application/pkcs7-mime; smime-type=enveloped-data'));
    const m = await run(data);
    expect(m.parts[2]).toMatchObject({ path: '2', encrypted: true });
    expect((await decideAndRewrite(data)).stripped).toEqual(['2']);
  });

  it('names the file a signed document holds by the holder\'s name without .p7m (tool.exe.p7m holds tool.exe)', async () => {
    const m = await run(carrying(fixture('tool-file.der'), 'application/octet-stream', 'tool.exe.p7m'));
    expect(m.parts[3]).toMatchObject({ path: '2/tool.exe', carrier: '2', filename: 'tool.exe', type: 'application/x-msdownload' });
    // Under a harmless name, the program's bytes still give it away.
    const hidden = await run(carrying(fixture('tool-file.der'), 'application/pkcs7-mime', 'smime.p7m'));
    expect(hidden.parts[3]).toMatchObject({ path: '2/smime', carrier: '2', nameMismatch: true });
  });
});

describe('analyze: S/MIME nested in other carriers', () => {
  it('opens a signed message inside an attached message', async () => {
    const m = await run(carrying(fixture('exe-signed.eml'), 'message/rfc822', 'fwd.eml'));
    expect(exe(m)).toMatchObject({ path: '2/0/2', carrier: '2' });
  });

  it('opens a .p7m inside a zip', async () => {
    const zip = buildZip([{ name: 'mail/smime.p7m', data: fixture('exe-signed-stream.der') }, { name: 'readme.txt', data: Buffer.from('hi') }]);
    const m = await run(carrying(zip, 'application/zip', 'mail.zip'));
    expect(exe(m)).toMatchObject({ path: '2/mail/smime.p7m/2', carrier: '2' });
  });

  it('says a .p7m in a zip in a zip in a zip, which is not opened, as limits', async () => {
    let zip = buildZip([{ name: 'smime.p7m', data: fixture('exe-signed.der') }]);
    for (const name of ['c.zip', 'b.zip']) zip = buildZip([{ name, data: zip }]);
    const m = await run(carrying(zip, 'application/zip', 'a.zip'));
    expect(said(m)).toEqual(['limits 2: b.zip/c.zip/smime.p7m: archive nested deeper than 3 archives was not opened']);
  });

  it('says a .p7m in a zip too big to take out as limits', async () => {
    const zip = buildZip([{ name: 'smime.p7m', data: fixture('exe-signed.der'), method: 0 }]);
    const m = await analyze(Readable.from([Buffer.from(carrying(zip, 'application/zip', 'a.zip'))]), { spoolAbove: 1024 });
    expect(said(m)).toEqual(['limits 2: smime.p7m: signed data over 1024 bytes was not opened']);
  });

  it('opens signed inside signed', async () => {
    const m = await run(carrying(fixture('twice-signed.der'), 'application/pkcs7-mime'));
    expect(exe(m)).toMatchObject({ path: '2/0/2', carrier: '2' });
  });
});

describe('analyze: damaged or over-limit S/MIME is said, never a crash and never clean', () => {
  const der = fixture('exe-signed.der');
  const stream = fixture('exe-signed-stream.der');

  it.each([['DER', der], ['BER', stream]])('%s cut inside the content is bad-encoding (and what was read is still analyzed)', async (_form, whole) => {
    const m = await run(carrying(whole.subarray(0, 300), 'application/pkcs7-mime'));
    expect(said(m).some((s) => /^bad-encoding 2: S\/MIME signed-data is damaged: /.test(s))).toBe(true);
    expect(exe(m)?.carrier).toBe('2');
  });

  it('a cut after the content (the signature) is damaged too', async () => {
    const m = await run(carrying(der.subarray(0, der.length - 40), 'application/pkcs7-mime'));
    expect(said(m)).toEqual([expect.stringMatching(/^bad-encoding 2: S\/MIME signed-data is damaged: element at byte \d+ runs past the end/)]);
  });

  it('garbage typed or named S/MIME is bad-encoding', async () => {
    for (const [type, name] of [['application/pkcs7-mime', 'smime.p7m'], ['application/octet-stream', 'x.p7m']]) {
      const m = await run(carrying(Buffer.from('not a signature at all'), type!, name));
      expect(said(m)).toEqual([expect.stringMatching(/^bad-encoding 2: S\/MIME does not read as CMS: /)]);
    }
  });

  it('nesting deeper than maxDepth is limits', async () => {
    // A ContentInfo whose signed data is a constructed OCTET STRING 200 levels deep, indefinite.
    const head = Buffer.from('3080' + '06092a864886f70d010702' + 'a080' + '3080' + '020101' + '3100' + '3080' + '06092a864886f70d010701' + 'a080', 'hex');
    const deep = Buffer.concat([head, Buffer.from('2480'.repeat(200), 'hex'), Buffer.from('0401ff', 'hex'), Buffer.alloc(2 * 205)]);
    const m = await run(carrying(deep, 'application/pkcs7-mime'));
    expect(said(m)).toEqual([expect.stringMatching(/^limits 2: S\/MIME signed-data: BER nested deeper than 100/)]);
  });

  it('compressed-data is said not opened', async () => {
    const compressed = Buffer.from('3080060b2a864886f70d0109100109a0800000' + '0000', 'hex');
    const m = await run(carrying(compressed, 'application/pkcs7-mime; smime-type=compressed-data', 'smime.p7z'));
    expect(said(m)).toEqual(['limits 2: S/MIME compressed-data is not opened']);
  });
});
