import { looksLikeArchive } from '../archive/archive-kind';
import type { ByteSource } from '../archive/byte-source';
import type { ArchiveMember } from '../archive/member';
import type { AnalyzeLimits } from '../limits';
import type { Malformation, MimePart } from '../model';
import type { Spool } from '../spool';
import { looksLikeCms, readCms, type CmsReading } from './cms';
import { isPemCms, pemToSpool } from './pem';

const SMIME_TYPES = new Set(['application/pkcs7-mime', 'application/x-pkcs7-mime']);

/** How analysis takes in what a signed body holds (analyze.ts's own paths, passed in). */
export interface SmimeOpener {
  /** Analyze a MIME entity under `part`, as an attached message is. */
  message(part: MimePart, body: ByteSource): Promise<void>;
  /** Take a file (a CAdES .p7m's document) as the one member of `part`, as a gzip's file is. */
  file(part: MimePart, member: ArchiveMember): Promise<void>;
}

/** Typed or named as S/MIME (RFC 8551 3.2: application/pkcs7-mime, smime.p7m): kept to be opened. */
export function isSmimePart(part: Pick<MimePart, 'type' | 'filenames'>): boolean {
  return SMIME_TYPES.has(part.type) || part.filenames.some((n) => /\.p7m$/i.test(n));
}

export { looksLikeCms };

// An entity whose first line is a header field is MIME (an S/MIME message); else it is a file.
const looksLikeMime = (head: Buffer): boolean => /^[\x21-\x39\x3b-\x7e]+[ \t]*:/.test(head.subarray(0, 1000).toString('latin1'));

/** The names the signed file is saved under: the holder's names without `.p7m` (doc.pdf.p7m holds doc.pdf). */
function signedFileNames(part: MimePart): string[] {
  const names = part.filenames.map((n) => n.replace(/\.p7m$/i, '')).filter((n) => n !== '' && !part.filenames.includes(n));
  return [...new Set(names.length > 0 ? names : ['signed-content'])];
}

function reading(body: ByteSource, limits: AnalyzeLimits): CmsReading {
  const cms = { memory: limits.spoolAbove, hard: limits.maxContainerSize, depth: limits.maxDepth };
  if (!isPemCms(body.read(0, 80))) return readCms(body, cms);
  const der = pemToSpool(body, cms.memory, cms.hard);
  try {
    const src = der.source();
    return src ? readCms(src, cms) : { kind: 'damaged', problem: 'PEM that does not decode' };
  } finally {
    der.dispose();
  }
}

/**
 * Open an S/MIME or CMS body (known by its bytes, or typed or named so): the content of
 * signed-data is analyzed as a message or taken as a file, so what an opaque signature wraps is
 * no blind spot; enveloped data marks the part `encrypted`. False when it is no such body.
 */
export async function openSmime(part: MimePart, body: ByteSource, limits: AnalyzeLimits, malformed: Malformation[], open: SmimeOpener): Promise<boolean> {
  const head = body.read(0, 80);
  // A typed or named one that is not CMS (nor PEM) is said damaged: a reader would try it.
  if (!looksLikeCms(head) && !(isSmimePart(part) && body.length > 0)) return false;
  const say = (kind: Malformation['kind'], detail: string): void => {
    malformed.push({ kind, path: part.path, detail: `S/MIME ${detail}` });
  };
  const found = reading(body, limits);
  if (found.kind === 'encrypted') {
    part.encrypted = true;
    return true;
  }
  if (found.kind === 'unopened') say('limits', `${found.type} is not opened`);
  if (found.kind === 'damaged') say('bad-encoding', `does not read as CMS: ${found.problem}`);
  if (found.kind === 'deep') say('limits', `${found.limit}, so it was not opened`);
  if (found.kind !== 'content') return true;
  if (found.problem) say('bad-encoding', `${found.type} is damaged: ${found.problem}`);
  if (found.limit) say('limits', `${found.type}: ${found.limit}`);
  if (found.content) await openContent(part, found.content, limits, open, say);
  return true;
}

async function openContent(part: MimePart, content: Spool, limits: AnalyzeLimits, open: SmimeOpener, say: (kind: 'limits', detail: string) => void): Promise<void> {
  try {
    const src = content.source();
    if (!src) return;
    if (part.depth >= limits.maxDepth) {
      say('limits', `content nested deeper than ${limits.maxDepth} was not opened`);
      return;
    }
    if (looksLikeMime(src.read(0, 1000))) {
      await open.message(part, src);
      return;
    }
    const [name, ...otherNames] = signedFileNames(part) as [string, ...string[]];
    const size = src.length;
    const member: ArchiveMember = { name, size, encrypted: false, head: () => src.read(0, 512) };
    if (size <= limits.spoolAbove) member.content = () => src.read(0, size);
    else if (looksLikeArchive(src.read(0, 512))) say('limits', `signed file ${name}: an archive over ${limits.spoolAbove} bytes was not opened`);
    if (otherNames.length > 0) member.otherNames = otherNames;
    await open.file(part, member);
  } finally {
    content.dispose();
  }
}
