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
 * UTF-8 headers (RFC 6532 3.7), which Python's email and webmail show the same way; the older
 * message/news and message/x-rfc822, which Mozilla's mail reader opens as message/rfc822; and
 * every other message/ type but (global-)delivery-status (external-body, disposition-notification,
 * x-anything), whose body Python's email parses as a message: a scanner or archive built on it
 * sees the attachments inside (a header block alone, an MDN's, holds none). message/partial is
 * a fragment, never whole here (analysis reports it).
 */
const NOT_MESSAGES = new Set(['message/delivery-status', 'message/global-delivery-status', 'message/partial']);

export function isMessageType(type: string): boolean {
  return type.startsWith('message/') && !NOT_MESSAGES.has(type);
}
