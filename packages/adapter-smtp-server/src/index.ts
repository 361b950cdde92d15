// @mailward/adapter-smtp-server: a Mailward policy as smtp-server options and hooks.
export { policyHooks } from './policy-hooks';
export type { PolicyHooksOptions } from './policy-hooks';
export type { MessageStore, StoredMessage, AcceptedMessage } from './message-store';
export { memoryStore } from './memory-store';
export { smtpServerOptions } from './smtp-controls';
export { unofferedParameter } from '@mailward/core';
export { setGreetPause } from './greet-pause';
export { answerHelo, type HeloHook } from './helo-answer';
export { StrictDataReader } from './strict-data';
export { createPolicyServer } from './policy-server';
export { closeServer } from './shutdown-drain';
export type { PolicyServerOptions } from './policy-server';
