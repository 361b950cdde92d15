import type { MimeNode } from '@zone-eu/mailsplit';

/**
 * An entity's content type as readers take it. mailsplit gives a part without Content-Type
 * text/plain (or a guess from its file name), but in a multipart/digest such a part is a
 * message (RFC 2046 5.1.5), and mail readers open it as one.
 */
export function partType(node: MimeNode): string {
  if (node.parentNode && node.parentNode.multipart === 'digest' && !(node.headers && node.headers.hasHeader('Content-Type'))) return 'message/rfc822';
  return node.contentType || 'text/plain';
}

/**
 * Types a reader opens as a message of its own: message/rfc822; message/global, its form with
 * UTF-8 headers (RFC 6532 3.7), which Python's email and webmail show the same way; and the
 * older message/news and message/x-rfc822, which Mozilla's mail reader opens as message/rfc822.
 */
const MESSAGE_TYPES = new Set(['message/rfc822', 'message/global', 'message/news', 'message/x-rfc822']);

export function isMessageType(type: string): boolean {
  return MESSAGE_TYPES.has(type);
}
