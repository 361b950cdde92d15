import type { HeaderField } from '@mailward/core';
import { addressesIn } from '@mailward/core/testing';

/** Where a replayed message's envelope sender came from. */
export type SenderOrigin = '--sender' | 'Return-Path' | 'From' | 'none';
/** Where a replayed message's envelope recipients came from. */
export type RecipientOrigin = '--recipient' | 'Delivered-To' | 'X-Original-To' | 'To/Cc' | 'none';

/** The envelope a stored message is replayed with, and which header (or option) gave each half. */
export interface GuessedEnvelope {
  /** '' is the null sender. */
  sender: string;
  senderFrom: SenderOrigin;
  recipients: string[];
  recipientsFrom: RecipientOrigin;
}

/** What the command line says about the envelope; what it leaves out is read from the message. */
export interface GivenEnvelope {
  sender?: string;
  recipients: string[];
}

/**
 * The envelope a stored message most likely had: the sender from Return-Path (what the final
 * MTA recorded from MAIL FROM), else From; the recipients from Delivered-To, else X-Original-To,
 * else To and Cc, which name the audience rather than the envelope and so come last.
 */
export function guessEnvelope(headers: readonly HeaderField[], given: GivenEnvelope): GuessedEnvelope {
  const values = (name: string): string[] => headers.filter((h) => h.name.toLowerCase() === name).map((h) => h.decoded || h.value);
  const sender = guessSender(values, given.sender);
  if (given.recipients.length > 0) return { ...sender, recipients: given.recipients, recipientsFrom: '--recipient' };
  // Each local delivery adds a Delivered-To on top: the lowest is the address the mail came in for.
  const delivered = values('delivered-to').flatMap(addressesIn).slice(-1);
  if (delivered.length > 0) return { ...sender, recipients: delivered, recipientsFrom: 'Delivered-To' };
  const original = unique(values('x-original-to').flatMap(addressesIn));
  if (original.length > 0) return { ...sender, recipients: original, recipientsFrom: 'X-Original-To' };
  const audience = unique([...values('to'), ...values('cc')].flatMap(addressesIn));
  return { ...sender, recipients: audience, recipientsFrom: audience.length > 0 ? 'To/Cc' : 'none' };
}

function guessSender(values: (name: string) => string[], given: string | undefined): Pick<GuessedEnvelope, 'sender' | 'senderFrom'> {
  if (given !== undefined) return { sender: given === '<>' ? '' : given, senderFrom: '--sender' };
  const returnPath = values('return-path')[0];
  if (returnPath !== undefined) {
    if (returnPath.trim() === '<>') return { sender: '', senderFrom: 'Return-Path' };
    const address = addressesIn(returnPath)[0];
    if (address !== undefined) return { sender: address, senderFrom: 'Return-Path' };
  }
  const from = addressesIn(values('from')[0] ?? '')[0];
  return from !== undefined ? { sender: from, senderFrom: 'From' } : { sender: '', senderFrom: 'none' };
}

function unique(addresses: string[]): string[] {
  return [...new Set(addresses)];
}
