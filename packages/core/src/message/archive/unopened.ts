import { isArchiveName, looksLikeArchive } from './archive-kind';
import type { ArchiveListing, ArchiveMember } from './member';
import { unlistedFormat } from './unlisted';

// A listing names this many members it could not read; more are counted.
const NAMED = 5;

const isArchive = (member: ArchiveMember, head: Buffer): boolean =>
  [member.name, ...(member.otherNames ?? [])].some(isArchiveName) || looksLikeArchive(head);

function unread(member: ArchiveMember, limit: number): string | undefined {
  if (member.encrypted) return undefined; // said already: the member and its archive are encrypted
  if (member.unsupported) return `${member.name}: ${member.unsupported}, so it was not read`;
  // A 7z, rar, bzip2 or xz member is listed (with its own limit) when analysis opens it.
  const head = member.head?.() ?? Buffer.alloc(0);
  if (unlistedFormat(head)) return undefined;
  // Only a member that is itself an archive hides more files; its content is got here once
  // more, which costs an inflation bounded by the limit, to know it before analysis lists.
  if (member.content && isArchive(member, head) && member.content() === undefined) {
    return `${member.name}: an archive that does not decompress within ${limit} bytes, so it was not opened`;
  }
  return undefined;
}

/**
 * Say in the listing's `limit` which members could not be read: those in a compression method
 * that is not supported, and archives whose content could not be had (over the limit, damaged).
 * 7-Zip lists what such an archive holds; here the policy sees `malformed: limits` instead.
 */
export function sayUnread(listing: ArchiveListing, limit: number): ArchiveListing {
  const reasons = listing.members.map((m) => unread(m, limit)).filter((r): r is string => r !== undefined);
  if (reasons.length === 0) return listing;
  const more = reasons.length > NAMED ? [`and ${reasons.length - NAMED} more members not read`] : [];
  const said = [...reasons.slice(0, NAMED), ...more].map((r) => `${listing.format} member ${r}`).join('; ');
  listing.limit = listing.limit ? `${listing.limit}; ${said}` : said;
  return listing;
}
