import type { ByteSource } from './byte-source';
import type { ArchiveListing, ArchiveMember } from './member';

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

/** List a tar's regular files, header block by header block; `limit` caps a member kept for nested listing. */
export function listTar(src: ByteSource, limit: number, format: 'tar' | 'tar.gz' = 'tar'): ArchiveListing {
  const members: ArchiveMember[] = [];
  let at = 0;
  let longName: string | undefined;
  while (at + 512 <= src.length) {
    const block = src.read(at, 512);
    if (block.every((b) => b === 0)) break;
    const size = parseInt(field(block, 124, 12).trim() || '0', 8) || 0;
    const kind = String.fromCharCode(block[156] ?? 48);
    const prefix = block.subarray(257, 262).toString('latin1') === 'ustar' ? field(block, 345, 155) : '';
    const dataStart = at + 512;
    const name = longName ?? (prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100));
    longName = undefined;
    if (kind === 'L') {
      longName = src.read(dataStart, Math.min(size, 4096)).toString('utf8').replace(/\0.*$/s, '');
    } else if (kind === '0' || kind === '\0' || kind === '7') {
      members.push({ name, size, encrypted: false, content: () => (size <= limit ? src.read(dataStart, size) : undefined) });
    }
    at = dataStart + Math.ceil(size / 512) * 512;
  }
  const problem = at > src.length ? 'tar is truncated' : undefined;
  return problem ? { format, members, problem } : { format, members };
}
