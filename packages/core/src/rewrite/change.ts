/** What the rewriter changed, for `--json`, logs and tests. */
export type RewriteChange =
  | { kind: 'header-removed'; rule: string; name: string }
  | { kind: 'header-added'; rule: string; name: string }
  | { kind: 'header-rewritten'; rule: string; name: string; from: string; to: string }
  | { kind: 'subject-prefixed'; rule: string }
  | { kind: 'part-stripped'; rule: string; path: string; filename?: string; type: string }
  | { kind: 'part-dropped'; rule: string; path: string; filename?: string; type: string }
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
