import type { MimeNode } from '@zone-eu/mailsplit';
import type { PartRef } from '../engine/effect';
import { entityFilenames } from '../message/file-name';
import { partType } from '../message/part-type';

/** What the rewriter changed, for `--json`, logs and tests. */
export type RewriteChange =
  | { kind: 'header-removed'; rule: string; name: string }
  | { kind: 'header-added'; rule: string; name: string }
  | { kind: 'header-rewritten'; rule: string; name: string; from: string; to: string }
  | { kind: 'subject-prefixed'; rule: string }
  /**
   * `path`, `type` and `filename` are the entity replaced (the carrier); `member`, the path
   * inside it of the archive member or attached message's part the rule matched.
   */
  | { kind: 'part-stripped'; rule: string; path: string; filename?: string; type: string; member?: string }
  | { kind: 'part-dropped'; rule: string; path: string; filename?: string; type: string; member?: string }
  | { kind: 'html-stripped'; rule: string; path: string; removed: number }
  /** A body with lines over 998 octets, re-encoded so it can be relayed. */
  | { kind: 'part-reencoded'; path: string; encoding: string }
  /** Bare CR or LF line ends made CRLF. */
  | { kind: 'line-ends-normalized' }
  /** A multipart the input left open, closed so the structure is valid. */
  | { kind: 'multipart-closed'; path: string }
  /** Header fields with a line over 998 octets, folded so the block can be relayed. */
  | { kind: 'header-refolded'; path: string; names: string[] }
  /** A body whose lines over 998 octets were broken where they stand (see LineBreak). */
  | { kind: 'lines-broken'; path: string; style: 'base64' | 'quoted-printable' | 'fold' };

/** True for a change an effect made (it names the rule), not one made so the result can be relayed. */
export const isApplied = (c: RewriteChange): boolean => 'rule' in c;

/** The unfolded values of a header block's fields named `key` (lower case). */
function valuesOf(node: MimeNode, key: string): string[] {
  if (!node.headers) return [];
  return node.headers.getList().filter((h) => h.key === key).map((h) => h.line.slice(h.line.indexOf(':') + 1).replace(/\r?\n/g, '').trim());
}

/**
 * A part-stripped or part-dropped change, for the carrier `node` before its header block is
 * replaced. A member's type and name are not what went: the carrier's are read from its header
 * block as analysis reads them, and the member is named by its path inside the carrier.
 * (Built without an object spread: one per part.)
 */
export function partChange(kind: 'part-stripped' | 'part-dropped', rule: string, part: PartRef, path: string, node: MimeNode): RewriteChange {
  const change: Extract<RewriteChange, { kind: typeof kind }> = { kind, rule, path, type: part.type };
  if (part.path === part.carrier || !part.path.startsWith(`${part.carrier}/`)) {
    if (part.filename) change.filename = part.filename;
    return change;
  }
  change.type = partType(node);
  const type = valuesOf(node, 'content-type').join('; ');
  const disposition = valuesOf(node, 'content-disposition').join('; ');
  const others = [...valuesOf(node, 'content-name'), ...valuesOf(node, 'x-sun-data-name')];
  const filename = entityFilenames(type || undefined, disposition || undefined, others)[0];
  if (filename !== undefined) change.filename = filename;
  change.member = part.path.slice(part.carrier.length + 1);
  return change;
}
