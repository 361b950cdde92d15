/**
 * Effects are what a decision asks the host to do besides answering: plain, serialisable data,
 * applied by `rewrite()` (message bytes) or by an adapter (envelope). Templates are already
 * filled in by the engine, except the header rewrites, which carry their pattern.
 */

/** A part a `strip` or `drop-part` matched, as the notice and the log describe it. */
export interface PartRef {
  path: string;
  /** The outer entity to replace (see MimePart.carrier). */
  carrier: string;
  type: string;
  filename?: string;
  size: number;
}

export type Effect =
  /** Remove every field whose name matches one of the patterns. */
  | { type: 'removeHeaders'; rule: string; names: string[] }
  /** Remove every field whose name matches none of the patterns (Firebox's header allowlist). */
  | { type: 'keepHeaders'; rule: string; names: string[] }
  | { type: 'addHeader'; rule: string; name: string; value: string }
  /** Rewrite fields named `header` (a pattern): each address in address fields, else the whole value. */
  | { type: 'rewriteHeader'; rule: string; header: string; match: string; to: string }
  /** Envelope sender rewrite, already computed: `from` becomes `to`. */
  | { type: 'rewriteSender'; rule: string; from: string; to: string }
  /** Envelope recipient rewrite, already computed. */
  | { type: 'rewriteRecipient'; rule: string; from: string; to: string }
  | { type: 'masquerade'; rule: string; domain: string; headers: string[]; messageId: boolean }
  | { type: 'subjectPrefix'; rule: string; prefix: string }
  /** Replace the part's carrier with a text/plain part holding `notice` (template filled in). */
  | { type: 'stripPart'; rule: string; part: PartRef; notice: string }
  /** Remove the part's carrier, leaving no notice. */
  | { type: 'dropPart'; rule: string; part: PartRef }
  /** Remove these HTML elements (and `on*` attributes) from text/html parts. */
  | { type: 'stripHtml'; rule: string; elements: string[] }
  | { type: 'bcc'; rule: string; address: string }
  /** Deliver the current recipient (or the message) through these hosts, in order. */
  | { type: 'route'; rule: string; via: string[] }
  | { type: 'log'; rule: string; text: string };

export type EffectType = Effect['type'];

export type PartEffect = Extract<Effect, { type: 'stripPart' | 'dropPart' }>;

/**
 * The strip or drop that applies to each carrier: the first one in rule order. Later effects on
 * a carrier already replaced do nothing, so the rewriter applies and the logs report these alone.
 */
export function partReplacements(effects: readonly Effect[]): Map<string, PartEffect> {
  const out = new Map<string, PartEffect>();
  for (const e of effects) if ((e.type === 'stripPart' || e.type === 'dropPart') && !out.has(e.part.carrier)) out.set(e.part.carrier, e);
  return out;
}
