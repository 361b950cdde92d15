// @mailward/gateway: the standalone SMTP security proxy.
export { startGateway } from './gateway';
export type { RunningGateway } from './gateway';
export { defaultConfig } from './config';
export type { GatewayConfig, ListenerConfig } from './config';
export { loadGatewayConfig, GatewayConfigError } from './config-load';
export { createLog } from './log';
export { isHostPort } from './host-port';
export { domainProblem } from './domain-name';
export type { GatewayLog, LogLevel } from './log';
export { Spool, SpoolCorruption } from './spool/spool';
export type { QueueRecord } from './spool/queue-record';
export { BUILTIN_POLICY, loadGatewayPolicy } from './policy-source';
export type { DeliveryConfig } from './delivery/delivery-config';
export { listEntries, headersOf, requestFlush, releaseFromQuarantine } from './spool/spool-admin';
export type { SpoolEntry } from './spool/spool-admin';
export { PasswordFile, passwordLine } from './password-file';
export { ImapLogin, ImapLoginUnavailable } from './imap-login';
export type { ImapServer } from './imap-login';
