import { Readable } from 'node:stream';
import { analyze } from './analyze';

const run = (text: string) => analyze(Readable.from([Buffer.from(text.replace(/\n/g, '\r\n'), 'latin1')]));
const armour = '-----BEGIN PGP MESSAGE-----\n\nhQEMA1b2c3d4e5f6ARAA\n=abcd\n-----END PGP MESSAGE-----\n';
const encryptedOf = async (text: string) => Object.fromEntries((await run(text)).parts.map((p) => [p.path, p.encrypted]));

describe('OpenPGP-encrypted data is encrypted: true, as encrypted S/MIME is (trial N)', () => {
  it('in a multipart/encrypted (RFC 3156): the data part, not the Version part', async () => {
    const m = ['Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary=E', '', '--E',
      'Content-Type: application/pgp-encrypted', '', 'Version: 1', '--E', 'Content-Type: application/octet-stream; name="encrypted.asc"', '', armour, '--E--', ''].join('\n');
    expect(await encryptedOf(m)).toMatchObject({ '1': false, '2': true });
  });

  it('armoured in a text body, and a binary .gpg file (a session key packet first)', async () => {
    const gpg = Buffer.from([0x85, 0x01, 0x0c, 0x03, 0x56, 0x78]).toString('base64');
    const m = ['MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=M', '', '--M', 'Content-Type: text/plain', '', `Here it is:\n${armour}`, '--M',
      'Content-Type: application/octet-stream; name="report.gpg"', 'Content-Transfer-Encoding: base64', '', gpg, '--M',
      'Content-Type: text/plain', '', '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nsigned, not encrypted', '--M--', ''].join('\n');
    expect(await encryptedOf(m)).toMatchObject({ '1': true, '2': true, '3': false });
  });

  it('takes no other binary for it: a first octet alone would take 3% of files (review)', async () => {
    const file = (name: string, bytes: number[]) => ['MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=M', '', '--M',
      `Content-Type: application/octet-stream; name="${name}"`, 'Content-Transfer-Encoding: base64', '', Buffer.from(bytes).toString('base64'), '--M--', ''].join('\n');
    expect(await encryptedOf(file('data.bin', [0x85, 0x01, 0x0c, 0x03, 0x56]))).toMatchObject({ '1': false }); // not named .gpg/.pgp
    expect(await encryptedOf(file('report.gpg', [0x85, 0x01, 0x0c, 0x09, 0x56]))).toMatchObject({ '1': false }); // no such version
    expect(await encryptedOf(file('report.gpg', [0xc3, 0x0d, 0x04, 0x09]))).toMatchObject({ '1': true }); // new format, passphrase, v4
  });
});
