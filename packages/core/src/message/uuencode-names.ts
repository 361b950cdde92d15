import { diskNames } from './file-name';
import { headerText } from './header-fields';

/**
 * A uuencode (or `begin-base64`) block's first line: mode and the name the file is saved as
 * (any case, a mode of 1 to 4 digits: ripmime takes those too); or a yEnc block's, whose `name=`
 * is the rest of the line (Thunderbird opens these as attachments as it does uuencode).
 */
const BEGIN = /^(?:begin(?:-base64)?[ \t]+[0-7]{1,4}[ \t]+|=ybegin[ \t].*?\bname=)([^\r\n]+)$/gim;

/** The same, for one line at a time (the decoder's, which must start a block where a name is found). */
export const BEGIN_LINE = new RegExp(BEGIN.source, 'i');

/**
 * The names a `begin` line's file is saved as: the rest of the line as disk names, and, when it
 * is written with double quotes (`begin 644 "evil.exe"`, or one of them), also without them: uudecode and Python
 * keep the quotes, but ripMIME trims them and no Windows name can hold a `"`.
 */
export function beginNames(raw: string): string[] {
  // The line's octets (a latin1 string) are read as UTF-8 when they are UTF-8, as 8-bit header
  // text is: `begin 644 résumé.exe` from a UTF-8 system names résumé.exe, not rÃ©sumÃ©.exe.
  const text = headerText(raw);
  // A lone quote too (`evil.exe"`): the name a Windows reader can save has none.
  const unquoted = text.replace(/"/g, '').trim();
  return [...new Set([...diskNames(text), ...(unquoted !== text.trim() && unquoted !== '' ? diskNames(unquoted) : [])])];
}

/** The longest line kept between chunks while looking for a `begin` line. */
const MAX_LINE = 1024;

/**
 * The file names of uuencoded (and yEnc) blocks in a body, read as it streams: Outlook and other
 * readers turn `begin 644 evil.exe` in a plain-text body into an attachment of that name, so the
 * part carries that file whatever its own headers say.
 */
export class UuencodeNames {
  readonly names: string[] = [];
  private carry = '';

  /** Take the next decoded chunk of the body. */
  write(data: Buffer): void {
    const text = this.carry + data.toString('latin1');
    const lastBreak = text.lastIndexOf('\n');
    this.scan(lastBreak < 0 ? '' : text.slice(0, lastBreak));
    const rest = lastBreak < 0 ? text : text.slice(lastBreak + 1);
    this.carry = rest.length > MAX_LINE ? '' : rest;
  }

  /** The body ended. */
  end(): void {
    this.scan(this.carry);
    this.carry = '';
  }

  private scan(text: string): void {
    if (!/begin/i.test(text)) return;
    for (const m of text.matchAll(BEGIN)) {
      for (const name of beginNames(m[1]!)) if (!this.names.includes(name)) this.names.push(name);
    }
  }
}
