// Public surface of @mailward/core/testing: test cases for policies, run under jest or by
// `mailward test`.
export { PolicyTester } from './policy-tester';
export type { PolicyTesterOptions, UnfiredRules, TestHost } from './policy-tester';
export type {
  PolicyCase, CaseEnvelope, CaseClient, CaseMessage, InlineMessage, InlineAttachment, CaseFacts, CaseExpect,
  ExpectedEffect, ExpectedRecipient, ExpectedReply, ExpectedOutput,
} from './case';
export { checkCase, caseSchema } from './case-schema';
export type { CaseProblem } from './case-schema';
export { buildMessage } from './message-builder';
export { envelopeFromHeaders, addressesIn } from './envelope-from-message';
export { addrSpecsOf, type AddrSpecs } from '../message/addr-specs';
export { factsFromFixture, unknownVirusParts } from './fixture-facts';
export { loadCaseFile } from './case-file';
export type { LoadedCase, CaseFile } from './case-file';
export { discoverSuites } from './discover';
export type { CaseSuite } from './discover';
export { runCase, messageBytes, DEFAULT_CLIENT } from './run-case';
export type { CaseRun } from './run-case';
export { runSuite, policyProblems, ruleIdsOf } from './run-suite';
export type { CaseResult, SuiteResult } from './run-suite';
export { changesMessage, replyText } from './compare';
export { deliveredBytes, OUTPUT_SECRET } from './case-output';
export { outcomeOf } from './session-outcome';
export type { SessionOutcome } from './session-outcome';
export { policyMatchers } from './matchers';
export { loadFactsFile, FactsFileError } from './facts-file';
export { needsOf } from './run-case';
export { loadPolicyWithTests } from './policy-file';
