import type { Readable } from 'node:stream';
import { asciiHeaders, downgradeTo7bit } from '@mailward/core';

/**
 * How a message was fitted to a hop (hop-plan): as it is, its UTF-8 header fields made encoded
 * words (no SMTPUTF8), or all of it made 7-bit (no 8BITMIME: that makes the header section
 * 7-bit as well).
 */
export type MessageForm = 'as-is' | 'ascii-header' | '7bit';

/** The message in that form: what a hop is sent, and what a bounce for that hop quotes the headers of. */
export function inForm(open: () => Readable, form: MessageForm): () => Readable {
  if (form === '7bit') return () => downgradeTo7bit(open);
  if (form === 'ascii-header') return () => asciiHeaders(open());
  return open;
}
