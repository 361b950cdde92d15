/**
 * Whether a header field describes the MIME structure (MIME-Version and every Content-* field):
 * how a reader finds the parts, decodes them and names them. Header edits leave these alone.
 */
export function isStructureField(name: string): boolean {
  return /^(content-|mime-version$)/i.test(name);
}
