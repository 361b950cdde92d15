/** A file inside an archive, as listing finds it. */
export interface ArchiveMember {
  name: string;
  size: number;
  encrypted: boolean;
  /** The member's bytes, when cheap to get (stored, or small enough to inflate); for nested listing. */
  content?: () => Buffer | undefined;
}

/** What listing an archive found; `problem` says why the list may be incomplete. */
export interface ArchiveListing {
  format: 'zip' | 'tar' | 'tar.gz' | 'gzip';
  members: ArchiveMember[];
  problem?: string;
}
