import type { ByteSource } from './byte-source';
import type { ArchiveListing, ArchiveMember } from './member';
import { memberNames } from './member-names';
import { archivePath, linkTarget } from './tar-link';
import { paxRecords } from './tar-pax';

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

/** True when the bytes start with a ustar (or old-style) tar header. */
export function looksLikeTar(first: Buffer): boolean {
  if (first.length < 512) return false;
  if (first.subarray(257, 262).toString('latin1') === 'ustar') return true;
  // Old-style header: check the checksum.
  const stored = parseInt(field(first, 148, 8).trim(), 8);
  if (!Number.isFinite(stored)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : first[i]!;
  return sum === stored;
}

// Metadata entries are read whole up to this size; a longer path is no path any system takes.
const META_MAX = 64 * 1024;

/** List a tar's regular files, header block by header block; `limit` caps a member kept for nested listing. */
export function listTar(src: ByteSource, limit: number, format: 'tar' | 'tar.gz' = 'tar'): ArchiveListing {
  const members: ArchiveMember[] = [];
  let at = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  const files = new Map<string, ArchiveMember>();
  const links: { member: ArchiveMember; target: string }[] = [];
  // pax 'g' records hold for every entry after them, 'x' records for the next one only.
  const global = new Map<string, string>();
  let local = new Map<string, string>();
  while (at + 512 <= src.length) {
    const block = src.read(at, 512);
    if (block.every((b) => b === 0)) break;
    const kind = String.fromCharCode(block[156] ?? 48);
    const pax = (key: string): string | undefined => local.get(key) ?? global.get(key);
    const headerSize = parseInt(field(block, 124, 12).trim() || '0', 8) || 0;
    // GNU tar and bsdtar take a pax size over the header's, and so find the next header there.
    const paxSize = kind === 'x' || kind === 'g' ? undefined : Number(pax('size'));
    const size = paxSize !== undefined && Number.isSafeInteger(paxSize) && paxSize >= 0 ? paxSize : headerSize;
    const prefix = block.subarray(257, 262).toString('latin1') === 'ustar' ? field(block, 345, 155) : '';
    const dataStart = at + 512;
    const headerName = prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100);
    const meta = (): Buffer => src.read(dataStart, Math.min(size, META_MAX));
    if (kind === 'L') {
      longName = meta().toString('utf8').replace(/\0.*$/s, '');
    } else if (kind === 'K') {
      longLink = meta().toString('utf8').replace(/\0.*$/s, '');
    } else if (kind === 'x') {
      local = paxRecords(meta());
    } else if (kind === 'g') {
      for (const [key, value] of paxRecords(meta())) global.set(key, value);
    } else {
      // Extractors that know pax save the file under its path; one that does not, under the
      // header's name: both are kept.
      const names = memberNames([pax('path'), longName, headerName]);
      if (kind === '0' || kind === '\0' || kind === '7') {
        const file: ArchiveMember = { ...names, size, encrypted: false, content: () => (size <= limit ? src.read(dataStart, size) : undefined), head: () => src.read(dataStart, Math.min(size, 512)) };
        members.push(file);
        files.set(archivePath(file.name), file);
        files.set(archivePath(headerName), file);
      } else if (kind === '1' || kind === '2') {
        // A hard link or a symlink is saved under its own name: evil.vbs -> payload.txt opens
        // as evil.vbs. It has no data; its content is the target's, when the target is here.
        const member: ArchiveMember = { ...names, size: 0, encrypted: false };
        members.push(member);
        links.push({ member, target: linkTarget(kind, names.name, pax('linkpath') ?? longLink ?? field(block, 157, 100)) });
      }
      longName = undefined;
      longLink = undefined;
      local = new Map();
    }
    at = dataStart + Math.ceil(size / 512) * 512;
  }
  for (const { member, target } of links) {
    const file = files.get(target);
    if (file) Object.assign(member, { size: file.size, content: file.content });
  }
  const problem = at > src.length ? 'tar is truncated' : undefined;
  return problem ? { format, members, problem } : { format, members };
}
