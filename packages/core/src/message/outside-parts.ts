import { UuencodeNames } from './uuencode-names';

/** A line of a MIME header that opens a part: outside every part it is content in hiding. */
const PART_HEADER = /^content-(?:type|disposition|transfer-encoding)[ \t]*:/im;

/** The longest partial line carried between chunks. */
const MAX_LINE = 1024;

/**
 * Watches a multipart's own text, its preamble and epilogue (RFC 2046 5.1.1 says readers ignore
 * both): a part's header lines or a uuencoded file there are shown by some readers (ripmime
 * opens a part after the closing boundary, Outlook a `begin 644` block) and not by others.
 */
export class OutsideParts {
  private readonly files = new UuencodeNames();
  private carry = '';
  headerLine = false;

  write(data: Buffer): void {
    this.files.write(data);
    const text = this.carry + data.toString('latin1');
    const lastBreak = text.lastIndexOf('\n');
    if (lastBreak >= 0 && PART_HEADER.test(text.slice(0, lastBreak))) this.headerLine = true;
    const rest = lastBreak < 0 ? text : text.slice(lastBreak + 1);
    this.carry = rest.length > MAX_LINE ? '' : rest;
  }

  /** Names of files uuencoded (or yEnc-encoded) there, once the multipart has ended. */
  end(): string[] {
    if (PART_HEADER.test(this.carry)) this.headerLine = true;
    this.files.end();
    return this.files.names;
  }
}
