import type { Readable } from 'node:stream';
import type { MessageModel } from '../message/model';

/** A fact that could not be had: the rule's `onError` decides (default tempfail, never "clean"). */
export interface FactError {
  error: string;
}

export type FactResult<T> = T | FactError;

export interface SpamFact {
  score: number;
  threshold?: number;
  symbols?: string[];
  report?: string;
  /**
   * Why spamd was not asked (a message over its size limit). Such a message is neither spam nor
   * clean: no `spam` condition matches it, whatever its bounds or patterns.
   */
  notScanned?: string;
}

export interface VirusFact {
  /** Virus names found in the message ([] when clean). */
  names: string[];
  /** Per-part results by part path, when the parts were scanned one by one. */
  parts?: Record<string, string[]>;
}

export type GreylistState = 'pending' | 'pass';

/**
 * The outside world's answers, as data. `evaluate` never does I/O: it reads these.
 * A fact a reachable rule needs but that is absent counts as a FactError.
 */
export interface Facts {
  /** DNSBL zone -> the A records it returned for the client ([] = not listed). */
  dnsbl?: Record<string, FactResult<string[]>>;
  /** RHSBL zone -> the A records it returned for the sender's domain ([] = not listed). */
  rhsbl?: Record<string, FactResult<string[]>>;
  /** Host or domain name -> whether it has A/AAAA (hosts) or A/AAAA/MX (domains). */
  resolves?: Record<string, FactResult<boolean>>;
  spam?: FactResult<SpamFact>;
  virus?: FactResult<VirusFact>;
  /** Recipient address -> greylisting state of (client, sender, recipient). */
  greylist?: Record<string, FactResult<GreylistState>>;
  /** Recipient address (lower case) -> whether the mail hub accepts it (recipient verification). */
  recipientExists?: Record<string, FactResult<boolean>>;
}

/** A fact some reachable rule of a stage needs; `gatherFacts` asks for no others, and only as the rules get to need them. */
export type FactNeed =
  | { kind: 'dnsbl'; zone: string }
  | { kind: 'rhsbl'; zone: string }
  | { kind: 'resolves'; of: 'helo' | 'sender' | 'recipient' }
  | { kind: 'spam' }
  | { kind: 'virus'; perPart: boolean }
  | { kind: 'greylist' }
  | { kind: 'recipientExists' };

/** The raw message a scanner reads: opened as often as needed (from the spool, or memory). */
export interface MessageSource {
  size: number;
  open(): Readable;
}

export interface LookupContext {
  signal: AbortSignal;
}

/** Triplet greylisting works on. */
export interface GreylistTriplet {
  client: string;
  sender: string;
  recipient: string;
}

/** Implemented by @mailward/facts (clamd, spamd, DNS, greylist stores); each is optional. */
export interface FactProviders {
  /** A records for the client IP (or a domain, for RHSBL zones) in `zone`; [] when not listed. */
  dnsbl?(zone: string, query: string, ctx: LookupContext): Promise<string[]>;
  resolves?(name: string, of: 'host' | 'domain', ctx: LookupContext): Promise<boolean>;
  spam?(message: MessageSource, ctx: LookupContext): Promise<SpamFact>;
  virus?(message: MessageSource, model: MessageModel | undefined, perPart: boolean, ctx: LookupContext): Promise<VirusFact>;
  greylist?(triplet: GreylistTriplet, ctx: LookupContext): Promise<GreylistState>;
  /** Whether the mail hub would accept this recipient (an RCPT probe). */
  recipientExists?(address: string, ctx: LookupContext): Promise<boolean>;
}

/** True when a fact value is an error. */
export function isFactError(value: unknown): value is FactError {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'error' in value;
}
