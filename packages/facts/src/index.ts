// @mailward/facts: the outside world's answers behind core's FactProviders interface.
export { createFactProviders } from './create-providers';
export type { FactsConfig, FactsHandle, LookupEvent } from './create-providers';
export { scanStream } from './clamd/instream';
export type { ClamdOptions } from './clamd/instream';
export { checkSpam } from './spamd/spamc';
export type { SpamdOptions } from './spamd/spamc';
export { lookupDnsbl, reversedName } from './dns/dnsbl';
export { nameResolves } from './dns/resolves';
export { Greylist, clientNetwork } from './greylist/greylist';
export type { GreylistOptions } from './greylist/greylist';
export { MemoryGreylistStore } from './greylist/memory-store';
export { RedisGreylistStore } from './greylist/redis-store';
export type { GreylistStore, GreylistEntry } from './greylist/store';
export type { Endpoint } from './net/endpoint';
export { RecipientVerifier } from './verify/recipient-verifier';
export type { VerifyOptions } from './verify/recipient-verifier';
export { probeRecipient } from './verify/smtp-probe';
