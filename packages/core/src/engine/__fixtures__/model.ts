/** Hand-built message models for engine tests (the engine never parses MIME itself). */
import type { Client, StageInput } from '../input';
import type { HeaderField, Malformation, MessageModel, MimePart } from '../../message/model';

/** A part with sensible defaults; `path` doubles as carrier. */
export function part(p: Partial<MimePart> & { path: string; type: string }): MimePart {
  const filenames = p.filenames ?? (p.filename !== undefined ? [p.filename] : []);
  const out: MimePart = {
    carrier: p.path.split('/')[0]!,
    size: 100,
    multipart: p.type.startsWith('multipart/'),
    depth: p.path.split('.').length,
    inArchive: false,
    encrypted: false,
    doubleExtension: false,
    nameMismatch: false,
    ...p,
    filenames,
  };
  if (filenames[0] !== undefined) out.filename = filenames[0];
  return out;
}

/** A message: headers as [name, value] pairs, parts, malformations. */
export function message(opts: { headers?: [string, string][]; parts?: MimePart[]; malformed?: Malformation[]; size?: number } = {}): MessageModel {
  const headers: HeaderField[] = (opts.headers ?? [['From', 'a@example.org'], ['Subject', 'hi']]).map(([name, value]) => ({ name, value, decoded: value }));
  return {
    size: opts.size ?? 2048,
    headers,
    parts: opts.parts ?? [part({ path: '1', type: 'text/plain' })],
    malformed: opts.malformed ?? [],
  };
}

export const CLIENT: Client = { ip: '203.0.113.9', tls: false, authenticated: false };

/** A stage input with the usual envelope, overridable. */
export function input(over: Partial<StageInput> = {}): StageInput {
  return { client: CLIENT, helo: 'mail.example.org', sender: 'alice@example.org', recipients: [], ...over };
}
