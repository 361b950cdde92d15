import type { ByteSource } from './byte-source';
import type { ArchiveListing } from './member';

/** The file name a gzip header stores (FNAME, RFC 1952 2.3.1: zero-ended ISO 8859-1), if any. */
function storedName(packed: ByteSource): string | undefined {
  const head = packed.read(0, 12);
  const flags = head[3] ?? 0;
  if (!(flags & 8)) return undefined;
  const at = 10 + (flags & 4 && head.length >= 12 ? 2 + head.readUInt16LE(10) : 0); // FEXTRA first
  const field = packed.read(at, 4096);
  const end = field.indexOf(0);
  return end > 0 ? field.subarray(0, end).toString('latin1') : undefined;
}

/** What gunzip names the file it unpacks from an archive of this name (none for another suffix). */
function unpackedName(holder: string): string | undefined {
  if (/\.tgz$/i.test(holder)) return holder.replace(/\.tgz$/i, '.tar');
  const name = holder.replace(/\.g?z$/i, '');
  return name !== holder && name !== '' ? name : undefined;
}

/**
 * A gzip that is not a tar holds one file (`file`, decompressed). It is named as it is saved:
 * by the stored name (gunzip -N, 7-Zip) and by the archive's own name without .gz (gunzip), so
 * tool.exe.gz holds tool.exe. Without either name nothing is listed.
 */
export function gzipListing(packed: ByteSource, file: ByteSource | undefined, holders: readonly string[], limit: number): ArchiveListing {
  const names = [storedName(packed), ...holders.map(unpackedName)].filter((n): n is string => n !== undefined);
  const [name, ...otherNames] = [...new Set(names)];
  if (name === undefined || !file) return { format: 'gzip', members: [] };
  const size = file.length;
  const member = { name, size, encrypted: false, content: () => (size <= limit ? file.read(0, size) : undefined), head: () => file.read(0, 512) };
  return { format: 'gzip', members: [otherNames.length > 0 ? { ...member, otherNames } : member] };
}
