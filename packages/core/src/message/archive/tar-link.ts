import { posix } from 'node:path';

/**
 * The archive path a tar link points at: a hard link names it from the archive's root, a
 * symlink from the link's own directory (a leading `/` is dropped, as extractors do by default).
 */
export function linkTarget(kind: '1' | '2', linkName: string, target: string): string {
  return archivePath(kind === '1' ? target : posix.join(posix.dirname(linkName), target));
}

/** A member's path as links are resolved against it: `./a//b` is `a/b`. */
export function archivePath(path: string): string {
  return posix.normalize(path).replace(/^(\.\/|\/)+/, '');
}
