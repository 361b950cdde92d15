/** What `analyze()` learns about a message; the data stage's rules test it. */

/** Kinds of MIME damage that different readers could interpret differently. */
export type MalformedKind =
  | 'duplicate-boundary'
  | 'unclosed-multipart'
  | 'bad-encoding'
  | 'bad-header'
  | 'bare-cr'
  | 'limits';

export const MALFORMED_KINDS: readonly MalformedKind[] = [
  'duplicate-boundary',
  'unclosed-multipart',
  'bad-encoding',
  'bad-header',
  'bare-cr',
  'limits',
];

export interface Malformation {
  kind: MalformedKind;
  /** Part path where it was seen ('' for the message as a whole). */
  path: string;
  detail: string;
}

export interface HeaderField {
  /** Field name as written (case kept). */
  name: string;
  /** Unfolded raw value, without the name, colon and trailing CRLF. */
  value: string;
  /** Value with RFC 2047 encoded words decoded. */
  decoded: string;
}

/**
 * One MIME entity, an attached message's entity, or an archive member.
 * `path` is the IMAP-style part number from the outer message ("1", "2.1"); for entities inside an
 * attached message or archive it is the carrier's path, then "/", then the inner path or member
 * name ("2/1.2", "3/docs/update.exe").
 */
export interface MimePart {
  path: string;
  /**
   * Path of the entity in the outer message that holds this one: itself for outer entities,
   * the attachment for members of archives and attached messages. Stripping replaces the carrier.
   */
  carrier: string;
  /** Content type, lower case ("application/octet-stream"); archive members: sniffed or by name. */
  type: string;
  charset?: string;
  disposition?: string;
  encoding?: string;
  /** Decoded body size in bytes (archive members: uncompressed size when known). */
  size: number;
  /** Every decoded name the entity carries (disposition, type name, archive member name). */
  filenames: string[];
  /** The first of `filenames`, for notices and logs. */
  filename?: string;
  multipart: boolean;
  /** Nesting depth: 0 for the root entity. */
  depth: number;
  /** True for archive members (zip, tar, tar.gz, TNEF) and the file inside a signed .p7m. */
  inArchive: boolean;
  /** True for encrypted archive members, encrypted archives whose members cannot be listed, and enveloped (encrypted) S/MIME parts. */
  encrypted: boolean;
  /** Some name has two extensions and the last is not a common document one (invoice.pdf.exe). */
  doubleExtension: boolean;
  /** A name hides its real extension (bidi controls) or disagrees with the declared type. */
  nameMismatch: boolean;
}

export interface MessageModel {
  /** Message size in bytes as received. */
  size: number;
  /** Top-level header fields, in order. */
  headers: HeaderField[];
  /** Every entity, depth first in message order, then members of archives and attached messages. */
  parts: MimePart[];
  malformed: Malformation[];
}
