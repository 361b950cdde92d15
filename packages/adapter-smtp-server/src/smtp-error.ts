import type { Reply } from '@mailward/core';

/** An smtp-server error carrying a reply: code, enhanced status and text. */
export function replyError(reply: Reply): Error & { responseCode: number } {
  return Object.assign(new Error(`${reply.status} ${reply.text}`), { responseCode: reply.code });
}
