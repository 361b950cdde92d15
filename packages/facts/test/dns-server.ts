/** A small authoritative DNS responder on loopback UDP, for DNSBL and DNS-check tests. */
import { createSocket, type Socket } from 'node:dgram';

export interface Zone {
  /** name (lower case, no trailing dot) -> A records */
  a?: Record<string, string[]>;
  /** name -> MX hosts, "host" (preference 10) or "20 host"; "0 ." is a null MX (RFC 7505). */
  mx?: Record<string, string[]>;
}

function readName(msg: Buffer, at: number): { name: string; end: number } {
  const labels: string[] = [];
  while (msg[at]! > 0) {
    labels.push(msg.subarray(at + 1, at + 1 + msg[at]!).toString('latin1'));
    at += 1 + msg[at]!;
  }
  return { name: labels.join('.').toLowerCase(), end: at + 1 };
}

function encodeName(name: string): Buffer {
  return Buffer.concat([...name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
}

function answer(query: Buffer, zone: Zone): Buffer {
  const { name, end } = readName(query, 12);
  const qtype = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const records: Buffer[] = [];
  if (qtype === 1) {
    for (const ip of zone.a?.[name] ?? []) {
      const rr = Buffer.alloc(16);
      rr.writeUInt16BE(0xc00c, 0); rr.writeUInt16BE(1, 2); rr.writeUInt16BE(1, 4); rr.writeUInt32BE(60, 6); rr.writeUInt16BE(4, 10);
      ip.split('.').forEach((o, i) => rr.writeUInt8(Number(o), 12 + i));
      records.push(rr);
    }
  } else if (qtype === 15) {
    for (const entry of zone.mx?.[name] ?? []) {
      const [, preference = '10', host = entry] = /^(?:(\d+) )?(.+)$/.exec(entry) ?? [];
      const target = host === '.' ? Buffer.from([0]) : encodeName(host);
      const rr = Buffer.alloc(14);
      rr.writeUInt16BE(0xc00c, 0); rr.writeUInt16BE(15, 2); rr.writeUInt16BE(1, 4); rr.writeUInt32BE(60, 6);
      rr.writeUInt16BE(target.length + 2, 10); rr.writeUInt16BE(Number(preference), 12);
      records.push(rr, target);
    }
  }
  const known = Boolean(zone.a?.[name] || zone.mx?.[name]);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  header.writeUInt16BE(known ? 0x8580 : 0x8583, 2); // authoritative answer; NXDOMAIN when unknown
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(qtype === 15 ? records.length / 2 : records.length, 6);
  return Buffer.concat([header, question, ...records]);
}

/** Serve `zone` on 127.0.0.1 at a free port; returns the server string for a Resolver. */
export function startDns(zone: Zone): Promise<{ server: string; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const socket: Socket = createSocket('udp4');
    socket.on('message', (msg, peer) => socket.send(answer(msg, zone), peer.port, peer.address));
    socket.bind(0, '127.0.0.1', () => {
      resolve({ server: `127.0.0.1:${socket.address().port}`, close: () => new Promise((r) => socket.close(() => r())) });
    });
  });
}
