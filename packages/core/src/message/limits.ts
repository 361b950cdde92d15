/** How far analysis goes before it reports `limits` instead of reading on. */
export interface AnalyzeOptions {
  /** Deepest nesting of entities (multiparts, attached messages, archives). Default 100. */
  maxDepth?: number;
  /** Most entities in one message. Default 1000. */
  maxParts?: number;
  /** Largest header block of one entity mailsplit will read at all, bytes. Default 1 MiB. */
  maxHeadSize?: number;
  /** A header block over this many bytes is reported as `limits` (Postfix's header_size_limit). Default 100 KiB. */
  headerBlockLimit?: number;
  /**
   * Bytes of one archive or attached message held in memory; a larger one is spooled to a temp
   * file under os.tmpdir() (removed after). Default 4 MiB: every container of a message is kept
   * until the pass ends, so this bounds memory per container, not per message.
   */
  spoolAbove?: number;
  /** Largest archive, decompressed gzip or attached message read at all, bytes; beyond it `limits`. Default 256 MiB. */
  maxContainerSize?: number;
}

export type AnalyzeLimits = Required<AnalyzeOptions>;

/** Options with defaults filled in. */
export function analyzeLimits(options: AnalyzeOptions = {}): AnalyzeLimits {
  return {
    maxDepth: options.maxDepth ?? 100,
    maxParts: options.maxParts ?? 1000,
    maxHeadSize: options.maxHeadSize ?? 1024 * 1024,
    headerBlockLimit: options.headerBlockLimit ?? 100 * 1024,
    spoolAbove: options.spoolAbove ?? 4 * 1024 * 1024,
    maxContainerSize: options.maxContainerSize ?? 256 * 1024 * 1024,
  };
}
