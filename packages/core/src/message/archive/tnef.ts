import type { ByteSource } from './byte-source';
import type { ArchiveListing, ArchiveMember } from './member';

/** TNEF (winmail.dat): Outlook shows the files in it as the message's attachments. */
export const TNEF_SIGNATURE = 0x223e9f78;

const ATT_RENDDATA = 0x00069002; // starts an attachment
const ATT_DATA = 0x0006800f;
const ATT_TITLE = 0x00018010;
const ATT_MAPI = 0x00069005; // the attachment's MAPI properties, with its long file name

// MAPI properties that name the file: long file name, file name, display name.
const NAME_PROPS = new Set([0x3707, 0x3704, 0x3001]);
// PR_ATTACH_DATA_BIN: the file's bytes, where a writer put them among the properties instead of in attAttachData.
const DATA_PROP = 0x3701;
const BINARY = 0x0102;
// PR_ATTACH_DATA_OBJ: an attached item (attach method 5, what Outlook sends for an attached
// message), as its interface id (16 octets) then a TNEF stream of its own, listed as a member.
const OBJECT = 0x000d;
const FIXED: Record<number, number> = { 0x02: 2, 0x03: 4, 0x04: 4, 0x05: 8, 0x06: 8, 0x07: 8, 0x0a: 4, 0x0b: 2, 0x14: 8, 0x40: 8, 0x48: 16 };
const pad4 = (n: number): number => Math.ceil(n / 4) * 4;

const cString = (b: Buffer): string => b.toString('latin1').replace(/\0[\s\S]*$/, '');

/** The names, and the file's bytes if there, in an attachment's MAPI property block; stops quietly where the block is damaged. */
function mapiProps(b: Buffer): { names: string[]; data?: Buffer } {
  const names: string[] = [];
  let data: Buffer | undefined;
  let at = 4;
  const count = b.length >= 4 ? b.readUInt32LE(0) : 0;
  for (let i = 0; i < count && at + 4 <= b.length; i++) {
    const type = b.readUInt16LE(at);
    const id = b.readUInt16LE(at + 2);
    at += 4;
    if (id >= 0x8000) {
      if (at + 20 > b.length) break;
      const kind = b.readUInt32LE(at + 16);
      at += 20;
      at += kind === 0 ? 4 : 4 + pad4(at + 4 <= b.length ? b.readUInt32LE(at) : 0);
    }
    const base = type & 0x0fff;
    const multi = (type & 0x1000) !== 0;
    if (FIXED[base] !== undefined) {
      if (multi && at + 4 > b.length) break;
      const n = multi ? b.readUInt32LE(at) : 1;
      at += (multi ? 4 : 0) + n * pad4(FIXED[base]!);
      continue;
    }
    if (at + 4 > b.length) break;
    const values = b.readUInt32LE(at);
    at += 4;
    for (let v = 0; v < values && at + 4 <= b.length; v++) {
      const length = b.readUInt32LE(at);
      const value = b.subarray(at + 4, at + 4 + length);
      if (NAME_PROPS.has(id) && (base === 0x1e || base === 0x1f)) {
        const name = base === 0x1f ? value.toString('utf16le').replace(/\0[\s\S]*$/, '') : cString(value);
        if (name && !names.includes(name)) names.push(name);
      }
      if (id === DATA_PROP && base === BINARY && v === 0) data = value;
      if (id === DATA_PROP && base === OBJECT && v === 0 && value.length > 16) data = value.subarray(16);
      at += 4 + pad4(length);
    }
  }
  return data ? { names, data } : { names };
}

/** List the attached files of a TNEF stream, with every name each is given. */
export function listTnef(src: ByteSource, limit: number): ArchiveListing {
  const members: ArchiveMember[] = [];
  let current: { names: string[]; size: number; at: number; inProps?: Buffer } | undefined;
  const close = (): void => {
    if (!current) return;
    // One with no name is still a file (Outlook shows "Untitled Attachment"): listed, so it is sniffed and opened.
    if (current.names.length === 0) {
      if (current.at < 0 && !current.inProps) return;
      current.names.push('Untitled Attachment');
    }
    const { names, size, at, inProps } = current;
    if (at < 0 && inProps) {
      members.push({ name: names[0]!, otherNames: names.slice(1), size: inProps.length, encrypted: false, content: () => (inProps.length <= limit ? inProps : undefined), head: () => inProps.subarray(0, 512) });
      return;
    }
    members.push({ name: names[0]!, otherNames: names.slice(1), size, encrypted: false, content: () => (at >= 0 && size <= limit ? src.read(at, size) : undefined), head: () => (at >= 0 ? src.read(at, Math.min(size, 512)) : undefined) });
  };
  let at = 6; // signature and key
  while (at + 9 <= src.length) {
    const head = src.read(at, 9);
    const attribute = head.readUInt32LE(1);
    const length = head.readUInt32LE(5);
    const data = at + 9;
    if (attribute === ATT_RENDDATA) {
      close();
      current = { names: [], size: 0, at: -1 };
    } else if (current && attribute === ATT_DATA) {
      current.size = length;
      current.at = data;
    } else if (current && (attribute === ATT_TITLE || attribute === ATT_MAPI) && length <= 1 << 20) {
      const value = src.read(data, length);
      const props = attribute === ATT_TITLE ? { names: [cString(value)] } : mapiProps(value);
      for (const name of props.names) if (name && !current.names.includes(name)) current.names.push(name);
      if (props.data) current.inProps = props.data;
    }
    at = data + length + 2;
  }
  close();
  return at > src.length ? { format: 'tnef', members, problem: 'TNEF stream is truncated' } : { format: 'tnef', members };
}
