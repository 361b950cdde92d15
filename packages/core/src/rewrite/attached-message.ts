import { Readable } from 'node:stream';
import type { Effect } from '../engine/effect';
import type { RewriteChange } from './change';
import { decodeBody, encodeBody } from './part-body';

type Rewriter = (input: Readable, effects: readonly Effect[]) => Readable & { changes: RewriteChange[] };

/**
 * An attached message (message/rfc822 that the splitter does not open: base64, or an
 * attachment) with `stripHtml` applied inside it, as a reader shows it inline: its decoded body
 * goes through the rewriter on its own and comes back in its transfer encoding. Undefined when
 * no HTML in it changed, so its bytes can stay as they are.
 */
export async function stripHtmlInAttached(
  rewrite: Rewriter,
  raw: Buffer,
  encoding: string,
  effects: readonly Extract<Effect, { type: 'stripHtml' }>[],
  path: string,
): Promise<{ body: Buffer; changes: RewriteChange[] } | undefined> {
  const message = decodeBody(raw, encoding);
  const inner = rewrite(Readable.from([message]), effects);
  const chunks: Buffer[] = [];
  for await (const c of inner) chunks.push(c as Buffer);
  if (!inner.changes.some((c) => c.kind === 'html-stripped')) return undefined;
  let out = Buffer.concat(chunks);
  // The line break before the next boundary belongs to the boundary: end as the body ended.
  if (encoding !== 'base64' && raw[raw.length - 1] !== 0x0a && out.subarray(-2).equals(Buffer.from('\r\n'))) out = out.subarray(0, -2);
  const body = encoding === 'base64' ? encodeBody(out, 'base64').subarray(0, -2) : encodeBody(out, encoding);
  const changes = inner.changes.map((c) => ('path' in c ? { ...c, path: `${path}/${c.path}` } : c));
  return { body, changes };
}
