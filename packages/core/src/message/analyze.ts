import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { bufferSource, type ByteSource } from './archive/byte-source';
import { listArchive, looksLikeArchive, type ListLimits } from './archive/list-archive';
import type { ArchiveListing, ArchiveMember } from './archive/member';
import type { EntityState } from './entity-state';
import { analyzeLimits, type AnalyzeLimits, type AnalyzeOptions } from './limits';
import type { MessageModel, MimePart } from './model';
import { diskNames } from './file-name';
import { extensionOf, hasDoubleExtension, isNameMismatch, sniff } from './name-checks';
import { splitterPass, type PassResult, type PassScope } from './splitter-pass';
import { isPgpEncrypted } from './pgp';
import { isSmimePart, looksLikeCms, openSmime, type SmimeOpener } from './smime/open-smime';

const MEMBER_TYPES: Record<string, string> = {
  exe: 'application/x-msdownload', dll: 'application/x-msdownload', com: 'application/x-msdownload',
  zip: 'application/zip', gz: 'application/gzip', tgz: 'application/gzip', tar: 'application/x-tar',
  pdf: 'application/pdf', txt: 'text/plain', htm: 'text/html', html: 'text/html', js: 'text/javascript',
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', eml: 'message/rfc822',
};

/** The type a file is known by from its name alone (an archive member, a uuencoded file). */
const typeByName = (name: string): string => MEMBER_TYPES[extensionOf(name)] ?? 'application/octet-stream';

function flagNames(part: MimePart, content: ReturnType<typeof sniff>): void {
  part.doubleExtension = part.filenames.some(hasDoubleExtension);
  part.nameMismatch = part.nameMismatch || isNameMismatch(part.filenames, part.type, content) !== undefined;
}

/** Archives inside archives are listed this many levels deep (a zip in a zip in a zip). */
const ARCHIVE_LEVELS = 3;

const listLimits = (limits: AnalyzeLimits): ListLimits => ({ memory: limits.spoolAbove, hard: limits.maxContainerSize });

/** A listing's damage and limit, said of `path` (and of the member `inside` it they belong to). */
function sayListing(model: PassResult, listing: ArchiveListing, path: string, inside?: string): void {
  const of = (text: string): string => (inside ? `${inside}: ${text}` : text);
  if (listing.problem) model.malformed.push({ kind: 'bad-encoding', path, detail: of(listing.problem) });
  if (listing.limit) model.malformed.push({ kind: 'limits', path, detail: of(listing.limit) });
}

async function memberParts(owner: MimePart, members: ArchiveMember[], limits: AnalyzeLimits, model: PassResult, level: number): Promise<void> {
  for (const member of members) {
    const base = member.name.split(/[\\/]/).pop() ?? member.name;
    const names = [...new Set([base, member.name, ...(member.otherNames ?? [])].flatMap(diskNames))];
    const part: MimePart = {
      path: `${owner.path}/${member.name}`,
      carrier: owner.carrier,
      type: typeByName(names[0] ?? base),
      size: member.size,
      filenames: names,
      multipart: false,
      depth: owner.depth + 1,
      inArchive: true,
      encrypted: member.encrypted,
      doubleExtension: false,
      nameMismatch: false,
    };
    if (names[0] !== undefined) part.filename = names[0];
    const content = member.content?.();
    flagNames(part, content ? sniff(content.subarray(0, 512)) : 'other');
    if (member.encrypted) owner.encrypted = true;
    model.parts.push(part);
    const inside = part.path.slice(owner.carrier.length + 1);
    if (content && (level >= ARCHIVE_LEVELS || part.depth >= limits.maxDepth)) {
      // Not opened: said, so that a policy on malformed mail can hold what it might hide.
      if (looksLikeArchive(content.subarray(0, 512)) || looksLikeCms(content)) {
        model.malformed.push({ kind: 'limits', path: owner.carrier, detail: `${inside}: archive nested deeper than ${level >= ARCHIVE_LEVELS ? `${ARCHIVE_LEVELS} archives` : limits.maxDepth} was not opened` });
      } else if (part.type === 'message/rfc822') {
        await memberMessage(part, content, limits, model); // archive levels count afresh inside it; depth does not
      }
    } else if (content) {
      if (await openSmime(part, bufferSource(content), limits, model.malformed, smimeOpener(limits, model))) continue;
      if (part.type === 'message/rfc822') {
        // A saved mail (`fwd/mail.eml`) opens in the reader as one: its attachments are read too.
        await memberMessage(part, content, limits, model);
        continue;
      }
      const inner = await listArchive(bufferSource(content), listLimits(limits), part.filenames);
      if (!inner) continue;
      // An inner archive's damage or limit is the carrier's, as the outermost one's is.
      sayListing(model, inner, owner.carrier, inside);
      try {
        await memberParts(part, inner.members, limits, model, level + 1);
      } finally {
        inner.dispose?.();
      }
    } else if (member.content && !member.encrypted && (isSmimePart(part) || looksLikeCms(member.head?.() ?? Buffer.alloc(0)))) {
      model.malformed.push({ kind: 'limits', path: owner.carrier, detail: `${inside}: signed data over ${limits.spoolAbove} bytes was not opened` });
    } else if (!member.encrypted && !member.unsupported && part.type === 'message/rfc822') {
      // (an unsupported method is said by the listing)
      model.malformed.push({ kind: 'limits', path: owner.carrier, detail: `${inside}: attached message over ${limits.spoolAbove} bytes was not opened` });
    }
  }
}

/**
 * A message saved in an archive (`.eml`): its entities are analyzed as an attached message's,
 * under the member's path, and are in the archive too; the outermost carrier is what a strip
 * replaces. Past the depth limit it is said, not opened.
 */
async function memberMessage(part: MimePart, content: Buffer, limits: AnalyzeLimits, model: PassResult): Promise<void> {
  if (part.depth >= limits.maxDepth) {
    model.malformed.push({ kind: 'limits', path: part.carrier, detail: `${part.path}: attached message nested deeper than ${limits.maxDepth} was not opened` });
    return;
  }
  const from = model.parts.length;
  await attachedParts(part, bufferSource(content), limits, model);
  for (const inner of model.parts.slice(from)) inner.inArchive = true;
}

/** The entities of a message `part` carries (attached, or signed inside it), under its path. */
async function attachedParts(part: MimePart, body: ByteSource, limits: AnalyzeLimits, model: PassResult): Promise<void> {
  // A second pass, streamed from memory or from the spool file.
  const scope: PassScope = { prefix: `${part.path}/`, carrier: part.carrier, depth: part.depth + 1 };
  const inner = await analyzeScope(body.stream(), limits, scope);
  model.parts.push(...inner.parts);
  model.malformed.push(...inner.malformed);
}

/** An S/MIME body's content goes where an attached message's or an archive member's does. */
const smimeOpener = (limits: AnalyzeLimits, model: PassResult): SmimeOpener => ({
  message: (part, body) => attachedParts(part, body, limits, model),
  file: (part, member) => memberParts(part, [member], limits, model, 1),
});

async function containers(leaf: EntityState, limits: AnalyzeLimits, model: PassResult): Promise<void> {
  const part = leaf.part;
  if (leaf.overflow) {
    model.malformed.push({ kind: 'limits', path: part.path, detail: `container over ${limits.maxContainerSize} bytes was not opened` });
    return;
  }
  const body = leaf.body();
  if (!body) return;
  if (await openSmime(part, body, limits, model.malformed, smimeOpener(limits, model))) return;
  const listing = await listArchive(body, listLimits(limits), part.filenames);
  if (listing) {
    sayListing(model, listing, part.path);
    try {
      await memberParts(part, listing.members, limits, model, 1);
    } finally {
      listing.dispose?.();
    }
    return;
  }
  if (leaf.attachedMessage && part.depth < limits.maxDepth) {
    await attachedParts(part, body, limits, model);
  } else if (leaf.attachedMessage) {
    model.malformed.push({ kind: 'limits', path: part.path, detail: `attached message nested deeper than ${limits.maxDepth} was not opened` });
  }
}

/**
 * A file uuencoded (or yEnc-encoded) in a part is the part's, as its `begin` name is: a name that
 * hides what the file's bytes are (MZ saved as readme.txt) is a mismatch of the part, as it is of
 * an attached file or an archive member.
 */
function flagCarried(leaf: EntityState): void {
  for (const file of leaf.carried?.files ?? []) {
    if (isNameMismatch(file.names, typeByName(file.names[0] ?? ''), sniff(file.first)) !== undefined) leaf.part.nameMismatch = true;
  }
}

/** What a uuencoded file is opened as, for what is said when it is not. */
const carriedKind = (holder: MimePart, head: Buffer): string =>
  holder.type === 'message/rfc822' ? 'message' : isSmimePart(holder) || looksLikeCms(head) ? 'S/MIME file' : 'archive';

/**
 * The containers uuencoded (or yEnc-encoded) in a part: a reader saves each as an attachment of
 * its `begin` name, so an archive's members are listed as an attached archive's, as the part's
 * own (the part is what a strip replaces; the name gives a plain gzip's file: tool.exe.gz), and a
 * mail (`fwd.eml`) or S/MIME (`smime.p7m`) is analyzed as an attached one is, under the part's
 * path and the file's name (`2/fwd.eml/2`), with the part as carrier.
 */
async function carriedFiles(leaf: EntityState, limits: AnalyzeLimits, model: PassResult): Promise<void> {
  const part = leaf.part;
  for (const file of leaf.carried?.files ?? []) {
    // Opened by the name a reader saves it as: `"fwd.eml"` is saved as fwd.eml, a mail.
    const name = file.names.find((n) => typeByName(n) !== 'application/octet-stream') ?? file.names[0] ?? 'uuencoded file';
    const holder: MimePart = {
      path: `${part.path}/${name}`, carrier: part.carrier, type: typeByName(name), size: file.size, filenames: file.names, filename: name,
      multipart: false, depth: part.depth + 1, inArchive: false, encrypted: false, doubleExtension: false, nameMismatch: false,
    };
    if (file.overflow) {
      model.malformed.push({ kind: 'limits', path: part.path, detail: `${name}: uuencoded ${carriedKind(holder, file.first)} over ${limits.maxContainerSize} bytes was not opened` });
      continue;
    }
    const body = file.body();
    if (!body) continue;
    if (await openSmime(holder, body, limits, model.malformed, smimeOpener(limits, model))) {
      if (holder.encrypted) part.encrypted = true;
      continue;
    }
    if (holder.type === 'message/rfc822') {
      if (holder.depth < limits.maxDepth) await attachedParts(holder, body, limits, model);
      else model.malformed.push({ kind: 'limits', path: part.path, detail: `${name}: attached message nested deeper than ${limits.maxDepth} was not opened` });
      continue;
    }
    const listing = await listArchive(body, listLimits(limits), file.names);
    if (!listing) continue;
    sayListing(model, listing, part.path, name);
    try {
      await memberParts(part, listing.members, limits, model, 1);
    } finally {
      listing.dispose?.();
    }
  }
}

async function analyzeScope(input: Readable, limits: AnalyzeLimits, scope: PassScope): Promise<PassResult> {
  const pass = await splitterPass(input, limits, scope);
  for (const leaf of pass.leaves) {
    flagNames(leaf.part, sniff(leaf.head));
    flagCarried(leaf);
    if (isPgpEncrypted(leaf.part, leaf.head)) leaf.part.encrypted = true;
  }
  for (const leaf of pass.leaves) {
    // A fragment (RFC 2046 5.2.2): the reader joins the fragments into a message that no single
    // mail carries, so none of it can be analyzed here (a program split across three mails).
    if (leaf.part.type === 'message/partial') pass.malformed.push({ kind: 'limits', path: leaf.part.path, detail: 'message/partial: a fragment of a message that is never whole here, so it was not analyzed' });
  }
  try {
    for (const leaf of pass.leaves) {
      await containers(leaf, limits, pass);
      await carriedFiles(leaf, limits, pass);
      leaf.dispose();
    }
  } finally {
    for (const leaf of pass.leaves) leaf.dispose();
  }
  return pass;
}

/** Read a message stream once and describe it: headers, every entity and name, and damage. */
export async function analyze(input: Readable, options?: AnalyzeOptions): Promise<MessageModel> {
  const limits = analyzeLimits(options);
  const pass = await analyzeScope(input, limits, { prefix: '', depth: 0 });
  if (pass.parts.length > limits.maxParts) {
    pass.malformed.push({ kind: 'limits', path: '', detail: `more than ${limits.maxParts} entities` });
  }
  return { size: pass.size, headers: pass.headers, parts: pass.parts, malformed: pass.malformed };
}

/** Analyze an .eml file (a loader for the CLI and tests). */
export function analyzeFile(path: string, options?: AnalyzeOptions): Promise<MessageModel> {
  return analyze(createReadStream(path), options);
}
