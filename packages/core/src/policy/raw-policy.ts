/**
 * The policy as written (YAML or JSON) and as the JSON Schema validates it: see
 * docs policy-language.md. Nothing here is compiled; `compilePolicy` turns it into a
 * `CompiledPolicy`.
 */
import type { MalformedKind } from '../message/model';
import type { Stage } from '../engine/stage';

/** A glob, `re:` regex, CIDR (client) or `@list`; several patterns mean "any of them". */
export type RawPatterns = string | readonly string[];
/** Patterns, or `{ not: patterns }` for "none of them". */
export type RawPatternValue = RawPatterns | { readonly not: RawPatterns };

/** Size as a byte count or with a unit: 1000KB, 10MB, 1GB (1 KB = 1024 bytes). */
export type RawSize = number | string;
/** Duration in ms, or with a unit: 100ms, 30s, 10m, 1h, 1d. */
export type RawDuration = number | string;

/** Numeric bounds, all of which must hold. */
export interface RawBounds<T = number> {
  readonly gt?: T;
  readonly gte?: T;
  readonly lt?: T;
  readonly lte?: T;
  readonly eq?: T;
}

export interface RawClientCondition {
  readonly ip?: RawPatternValue;
  readonly hostname?: RawPatternValue;
  readonly tls?: boolean;
  readonly authenticated?: boolean;
  readonly user?: RawPatternValue;
}

export interface RawHeloCondition {
  readonly name?: RawPatternValue;
  readonly fqdn?: boolean;
  readonly resolves?: boolean;
}

export interface RawAddressCondition {
  readonly address?: RawPatternValue;
  readonly domain?: RawPatternValue;
  readonly fqdn?: boolean;
  readonly resolves?: boolean;
  /** Recipient verification at the hub (recipient only). */
  readonly exists?: boolean;
  /** The sender's domain is listed in an RHSBL zone (sender only). */
  readonly rhsbl?: RawPatterns | RawDnsblCondition;
}

export interface RawHeaderCondition {
  readonly name: RawPatternValue;
  readonly value?: RawPatternValue;
}

export interface RawPartCondition {
  readonly type?: RawPatternValue;
  readonly filename?: RawPatternValue;
  readonly size?: RawBounds<RawSize>;
  readonly doubleExtension?: boolean;
  readonly inArchive?: boolean;
  readonly encrypted?: boolean;
  readonly nameMismatch?: boolean;
  readonly virus?: boolean;
}

export interface RawDnsblCondition {
  readonly zone: RawPatterns;
  readonly result?: RawPatternValue;
}

export interface RawSpamCondition {
  readonly score?: RawBounds;
  readonly symbols?: RawPatternValue;
}

/** A map of conditions, all of which must hold. */
export interface RawWhen {
  readonly direction?: 'inbound' | 'outbound';
  readonly client?: RawPatternValue | RawClientCondition;
  readonly helo?: RawPatternValue | RawHeloCondition;
  readonly sender?: RawPatternValue | RawAddressCondition;
  readonly recipient?: RawPatternValue | RawAddressCondition;
  readonly recipients?: RawBounds;
  readonly size?: RawBounds<RawSize>;
  readonly header?: RawHeaderCondition;
  readonly malformed?: boolean | MalformedKind | readonly MalformedKind[];
  readonly part?: RawPartCondition;
  readonly dnsbl?: RawPatterns | RawDnsblCondition;
  readonly spam?: RawSpamCondition;
  readonly virus?: boolean | RawPatternValue;
  readonly greylist?: 'pending' | 'pass';
  readonly any?: readonly RawWhen[];
  readonly all?: readonly RawWhen[];
  readonly not?: RawWhen;
}

export interface RawReply {
  readonly code?: number;
  readonly status?: string;
  readonly text?: string;
}

export interface RawQuarantine extends RawReply {
  readonly reason?: string;
  readonly notify?: readonly string[];
  /** Deliver to this quarantine mailbox instead of holding the message (Endian's choice). */
  readonly forward?: string;
}

export type RawTerminalName = 'accept' | 'reject' | 'tempfail' | 'drop' | 'quarantine';

export type RawAction =
  | RawTerminalName
  | 'strip'
  | 'drop-part'
  | { readonly accept: RawReply | null }
  | { readonly reject: RawReply | null }
  | { readonly tempfail: RawReply | null }
  | { readonly drop: RawReply | null }
  | { readonly quarantine: RawQuarantine | null }
  | { readonly strip: { readonly notice?: string } | null }
  | { readonly 'drop-part': null | Record<string, never> }
  | {
      readonly headers: {
        readonly remove?: readonly string[];
        readonly keep?: readonly string[];
        readonly add?: Readonly<Record<string, string>>;
      };
    }
  | { readonly rewrite: RawHeaderRewrite | RawEnvelopeRewrite }
  | {
      readonly masquerade: {
        readonly domain: string;
        readonly headers?: readonly string[];
        readonly messageId?: boolean;
      };
    }
  | { readonly subject: { readonly prefix: string } }
  | { readonly bcc: string }
  | { readonly route: { readonly via: readonly string[] } }
  | { readonly stripHtml: readonly string[] }
  | { readonly log: string };

export interface RawRewriteSpec {
  readonly match: string;
  readonly to: string;
}

export interface RawHeaderRewrite extends RawRewriteSpec {
  readonly header: string;
}

export interface RawEnvelopeRewrite {
  readonly sender?: RawRewriteSpec;
  readonly recipient?: RawRewriteSpec;
}

/** What a rule does when a fact it needs could not be had (default tempfail). */
export type RawOnError = 'tempfail' | 'skip' | 'reject';

export interface RawRule {
  readonly id: string;
  readonly description?: string;
  readonly when?: RawWhen;
  readonly do: readonly RawAction[];
  readonly onError?: RawOnError;
}

/** A stage's fall-through answer: a terminal action name or `{ reject: {...} }` etc. */
export type RawDefault =
  | 'accept'
  | 'reject'
  | 'tempfail'
  | { readonly accept: RawReply | null }
  | { readonly reject: RawReply | null }
  | { readonly tempfail: RawReply | null };

export interface RawStage {
  readonly default?: RawDefault;
  readonly rules?: readonly RawRule[];
}

export interface RawSmtp {
  readonly hideKeywords?: readonly string[];
  readonly maxRecipients?: number;
  readonly maxSize?: RawSize;
  readonly idleTimeout?: RawDuration;
  readonly hardErrorLimit?: number;
  readonly requireHelo?: boolean;
  readonly greetPause?: RawDuration;
}

export interface RawPolicy {
  readonly version: 1;
  /** Test cases for `mailward test`, ignored by the engine. */
  readonly tests?: readonly unknown[];
  readonly name?: string;
  readonly description?: string;
  readonly lists?: Readonly<Record<string, readonly string[]>>;
  readonly notice?: string;
  readonly smtp?: RawSmtp;
  readonly outbound?: { readonly clients?: readonly string[] };
  readonly connect?: RawStage;
  readonly helo?: RawStage;
  readonly mail?: RawStage;
  readonly rcpt?: RawStage;
  readonly data?: RawStage;
}

/** Keys of RawPolicy that are stages. */
export type RawStageKey = Extract<keyof RawPolicy, Stage>;
