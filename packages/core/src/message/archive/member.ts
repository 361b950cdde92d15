import type { UnlistedFormat } from './unlisted';

/** A file inside an archive, as listing finds it. */
export interface ArchiveMember {
  name: string;
  /** More names the same file is given (TNEF: its title and its MAPI long file name). */
  otherNames?: string[];
  size: number;
  encrypted: boolean;
  /** The member's bytes, when small enough to read or inflate; for nested listing. */
  content?: () => Buffer | undefined;
  /** Its first bytes, even when the whole is too big to give: to know an archive by them. */
  head?: () => Buffer | undefined;
  /** Why its bytes cannot be read at all (a compression method that is not supported). */
  unsupported?: string;
}

/** What listing an archive found. */
export interface ArchiveListing {
  /** 7z, rar, bzip2 and xz are known by their magic but not opened: no members, and a `limit`. */
  format: 'zip' | 'tar' | 'tar.gz' | 'gzip' | 'tnef' | UnlistedFormat;
  members: ArchiveMember[];
  /** Why the list may be incomplete because the archive is damaged. */
  problem?: string;
  /** Why the list may be incomplete because a size limit stopped reading. */
  limit?: string;
  /** Release what listing held (a decompressed temp file); members' content is gone after. */
  dispose?: () => void;
}
