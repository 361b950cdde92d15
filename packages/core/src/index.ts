// Public surface of @mailward/core. Each section is owned by one folder; keep it a short list.

// types
export type { Stage, Verdict, Direction, Reply } from './engine/stage';
export { STAGES } from './engine/stage';
export type { Client, StageInput } from './engine/input';
export type { Effect, EffectType, PartEffect, PartRef } from './engine/effect';
export { partReplacements } from './engine/effect';
export type { Decision, RuleTrace, ConditionTrace } from './engine/decision';
export type { MessageModel, MimePart, HeaderField, Malformation, MalformedKind } from './message/model';
export type {
  Facts, FactResult, FactError, FactNeed, FactProviders, SpamFact, VirusFact, GreylistState,
  GreylistTriplet, MessageSource, LookupContext,
} from './facts/facts';
export { isFactError } from './facts/facts';
export { factErrors } from './facts/fact-errors';

// policy
export { loadPolicy, loadPolicyFile } from './policy/load';
export { yamlLocator, yamlSyntaxErrors, type YamlSyntaxError } from './policy/yaml-syntax';
export { unofferedParameter, unofferedParameterOf, type UnofferedParameter } from './protocol/unoffered-parameters';
export { recipientMeant } from './protocol/postmaster-alias';
export { SPLITTER_LIMITS } from './rewrite/crlf';
export { compilePolicy } from './policy/compile';
export type { PolicySource } from './policy/problem-at';
export { definePolicy } from './policy/define-policy';
export { PolicyError, formatProblem, type PolicyProblem } from './policy/policy-error';
export type { RawPolicy, RawRule, RawWhen, RawAction } from './policy/raw-policy';
export type { CompiledPolicy, CompiledStage, CompiledRule, CompiledSmtp } from './policy/compiled-policy';

// engine
export { evaluate } from './engine/evaluate';
export { isOutbound } from './engine/direction';
export { parseDuration } from './policy/units';
export { gatherFacts, type GatherOptions } from './engine/gather-facts';
export { runSession, type SessionSpec, type SessionResult, type RecipientResult } from './engine/run-session';

// message
export { analyze, analyzeFile } from './message/analyze';
export { partPath } from './message/part-path';
export type { AnalyzeOptions } from './message/limits';
export { MALFORMED_KINDS } from './message/model';
export { StrictLines, strictViolation } from './message/strict-lines';
export type { DataViolation } from './message/strict-lines';

// rewrite
export { rewrite } from './rewrite/rewrite';
export { headerChanges } from './rewrite/header-only';
export { HEADER_EFFECTS, removesField } from './rewrite/header-edits';
export type { RewriteOptions, RewrittenMessage } from './rewrite/rewrite';
export type { RewriteChange } from './rewrite/change';
/** A message made 7-bit for a hop without 8BITMIME (RFC 6152 3). */
export { downgradeTo7bit, type SevenBitMessage } from './rewrite/seven-bit';
/** A message's header section made 7-bit for a hop without SMTPUTF8 (RFC 6532), and what cannot be. */
export { asciiHeaders } from './rewrite/ascii-headers';
export { unencodableField } from './rewrite/seven-bit-headers';
export { heldFindings, quarantineNoticeText, type HeldMessage } from './notice/quarantine-notice';
// messages
/** The allowed word closest to a typo of it (what `mailward check` offers as "did you mean"). */
export { closest as closestWord } from './policy/ajv-problems';
