import { Headers, type MimeNode } from '@zone-eu/mailsplit';

/** What mailsplit's Headers keep of a first line it takes for no field (not in its typings). */
interface FirstLineHeaders {
  mbox: string | false;
  http: string | false;
  getList(): { key: string; line: string }[];
}

/**
 * mailsplit takes a header block's first line that starts with `From ` for an mbox separator,
 * and one with `POST ` for an HTTP request line, and keeps it out of the fields. In SMTP DATA
 * neither exists: `From : ceo@acme.example` (white space before the colon, RFC 5322 4.5.3) is
 * the From field a mail reader shows, and a separator line is a damaged header. The line goes
 * back among the fields, where rules see it, the rewriter writes it and analysis judges it.
 */
export function keepFirstLine(node: MimeNode): void {
  if (node.headers) fieldsWithFirstLine(node.headers);
}

/** A header block read as mailsplit's Headers, its first line among the fields (see keepFirstLine). */
export function headersOf(block: string | Buffer): Headers {
  return fieldsWithFirstLine(new Headers(block));
}

function fieldsWithFirstLine(parsed: Headers): Headers {
  const headers = parsed as unknown as FirstLineHeaders;
  if (headers.mbox === undefined && headers.http === undefined) return parsed;
  const lines = headers.getList();
  for (const kept of ['mbox', 'http'] as const) {
    const line = headers[kept];
    if (line === false) continue;
    headers[kept] = false;
    const colon = line.indexOf(':');
    lines.unshift({ key: colon === -1 ? '' : line.slice(0, colon).toLowerCase().trim(), line });
  }
  return parsed;
}
