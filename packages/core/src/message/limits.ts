/** How far analysis goes before it reports `limits` instead of reading on. */
export interface AnalyzeOptions {
  /** Deepest nesting of entities (multiparts, attached messages, archives). Default 100. */
  maxDepth?: number;
  /** Most entities in one message. Default 1000. */
  maxParts?: number;
  /** Largest header block of one entity, bytes. Default 1 MiB. */
  maxHeadSize?: number;
  /** Largest archive or attached message held to list or analyze it, bytes. Default 32 MiB. */
  maxContainerSize?: number;
}

export type AnalyzeLimits = Required<AnalyzeOptions>;

/** Options with defaults filled in. */
export function analyzeLimits(options: AnalyzeOptions = {}): AnalyzeLimits {
  return {
    maxDepth: options.maxDepth ?? 100,
    maxParts: options.maxParts ?? 1000,
    maxHeadSize: options.maxHeadSize ?? 1024 * 1024,
    maxContainerSize: options.maxContainerSize ?? 32 * 1024 * 1024,
  };
}
