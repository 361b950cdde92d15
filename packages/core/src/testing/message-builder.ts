import type { InlineAttachment, InlineMessage } from './case';
import { encodeBody } from '../rewrite/part-body';

const BOUNDARY_ALT = '=_mailward_alt';
const BOUNDARY_MIXED = '=_mailward_mixed';

/**
 * Builds a small RFC 5322 message (CRLF, deterministic boundaries) for tests: headers, a text
 * and/or HTML body, and attachments with a name, type and content.
 */
export function buildMessage(spec: InlineMessage): Buffer {
  const headers: Record<string, string> = {
    From: 'sender@example.net',
    To: 'recipient@acme.example',
    Subject: 'test',
    Date: 'Mon, 02 Nov 2026 10:00:00 +0000',
    'Message-ID': '<test@example.net>',
    ...(spec.headers ?? {}),
  };
  const body = bodyEntity(spec);
  const lines: string[] = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  lines.push('MIME-Version: 1.0', ...body.head, '', ...body.lines);
  return Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
}

interface Entity {
  head: string[];
  lines: string[];
}

function bodyEntity(spec: InlineMessage): Entity {
  const texts: Entity[] = [];
  if (spec.text !== undefined || spec.html === undefined) texts.push(textEntity('plain', spec.text ?? 'Hello.'));
  if (spec.html !== undefined) texts.push(textEntity('html', spec.html));
  const main = texts.length === 1 ? texts[0] : multipart('alternative', BOUNDARY_ALT, texts);
  const attachments = (spec.attachments ?? []).map(attachmentEntity);
  return attachments.length === 0 ? main : multipart('mixed', BOUNDARY_MIXED, [main, ...attachments]);
}

function textEntity(subtype: 'plain' | 'html', text: string): Entity {
  const type = `Content-Type: text/${subtype}; charset=utf-8`;
  // Text as a mail client writes it, so that a case reads like the mail it stands for: 7bit when
  // it can go as it is, quoted-printable (which keeps any text intact) when it cannot.
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const plain = /^[\x20-\x7e\t\n]*$/.test(text.replace(/\r\n/g, '\n')) && lines.every((l) => l.length <= 76 && !/^\.|^From |[ \t]$/.test(l));
  if (plain) return { head: [type, 'Content-Transfer-Encoding: 7bit'], lines };
  const qp = encodeBody(Buffer.from(lines.join('\r\n'), 'utf8'), 'quoted-printable');
  return { head: [type, 'Content-Transfer-Encoding: quoted-printable'], lines: qp.toString('latin1').split('\r\n') };
}

function attachmentEntity(a: InlineAttachment): Entity {
  const type = a.type ?? 'application/octet-stream';
  const content =
    a.base64 !== undefined ? Buffer.from(a.base64, 'base64') : a.content !== undefined ? Buffer.from(a.content, 'utf8') : filler(a.size ?? 0);
  const name = a.name === undefined ? '' : `; name=${quote(a.name)}`;
  const filename = a.name === undefined ? '' : `; filename=${quote(a.name)}`;
  return {
    head: [
      `Content-Type: ${type}${name}`,
      `Content-Disposition: ${a.disposition ?? 'attachment'}${filename}`,
      'Content-Transfer-Encoding: base64',
    ],
    lines: base64Lines(content),
  };
}

function multipart(subtype: string, boundary: string, parts: Entity[]): Entity {
  const lines: string[] = [];
  for (const part of parts) lines.push(`--${boundary}`, ...part.head, '', ...part.lines);
  lines.push(`--${boundary}--`);
  return { head: [`Content-Type: multipart/${subtype}; boundary="${boundary}"`], lines };
}

function base64Lines(data: Buffer): string[] {
  const text = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += 76) lines.push(text.slice(i, i + 76));
  return lines;
}

// Names outside plain ASCII go in as RFC 2047 words, as mail clients write them.
function quote(name: string): string {
  if (/^[\x20-\x7e]*$/.test(name)) return `"${name.replace(/(["\\])/g, '\\$1')}"`;
  return `"=?utf-8?B?${Buffer.from(name, 'utf8').toString('base64')}?="`;
}

// Printable, incompressible enough, and the same every time.
function filler(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = 0x41 + ((i * 7 + (i >> 8)) % 26);
  return out;
}
