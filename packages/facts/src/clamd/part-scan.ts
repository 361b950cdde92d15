import { PassThrough } from 'node:stream';
import { Splitter } from '@zone-eu/mailsplit';
import type { MimeNode, SplitterChunk } from '@zone-eu/mailsplit';
import { partPath, SPLITTER_LIMITS, type MessageSource } from '@mailward/core';
import { scanStream, type ClamdOptions } from './instream';

/** Parts scanned at once: each is a clamd connection, and a message can carry hundreds of parts. */
const PARALLEL_SCANS = 4;

/**
 * Scan each leaf entity's decoded body on its own, so a rule can strip exactly the infected
 * part (FireWall-1's CVP "cure") and deliver the rest. Paths are core's part paths. At most
 * PARALLEL_SCANS parts are with clamd at once; while a part waits for its turn the message is
 * not read further, so only what was already split is held.
 */
export function scanParts(message: MessageSource, options: ClamdOptions, signal?: AbortSignal): Promise<Record<string, string[]>> {
  return new Promise((resolve, reject) => {
    const scans: Promise<[string, string[]]>[] = [];
    let active = 0;
    let held = false;
    const waiting: (() => void)[] = [];
    const input = message.open();
    /** Start a part's scan now or when a slot frees; the message waits while a part waits. */
    const whenFree = (run: () => Promise<unknown>): void => {
      const go = (): void => {
        active++;
        void run().catch(() => undefined).finally(() => {
          active--;
          const next = waiting.shift();
          if (next) next();
          else if (held) {
            held = false;
            input.resume();
          }
        });
      };
      if (active < PARALLEL_SCANS) return go();
      held = true;
      input.pause();
      waiting.push(go);
    };
    let current: { node: MimeNode; decoder: NodeJS.ReadWriteStream } | undefined;
    const close = (): void => {
      current?.decoder.end();
      current = undefined;
    };
    // Past mailsplit's own 1000 entities and 1 MiB header blocks (a message over them is
    // `limits`, which a policy may still accept): each of its parts is scanned.
    const splitter = new Splitter(SPLITTER_LIMITS);
    splitter.on('data', (obj: SplitterChunk) => {
      if (obj.type === 'node') {
        close();
        if (obj.multipart || obj.messageNode === true) return;
        const decoder = obj.getDecoder() as unknown as NodeJS.ReadWriteStream;
        const body = new PassThrough();
        decoder.pipe(body);
        const path = partPath(obj);
        const scan = new Promise<string[]>((done, fail) => whenFree(() => scanStream(body, options, signal).then(done, fail)))
          .then((names): [string, string[]] => [path, names]);
        scan.catch(() => undefined); // handled by Promise.all below; an early failure must not crash the process
        scans.push(scan);
        current = { node: obj, decoder };
      } else if (obj.type === 'body' && current && obj.node === current.node) {
        current.decoder.write(obj.value);
      }
    });
    (splitter as unknown as NodeJS.EventEmitter).on('error', reject);
    (splitter as unknown as NodeJS.EventEmitter).on('end', () => {
      close();
      Promise.all(scans).then((pairs) => resolve(Object.fromEntries(pairs)), reject);
    });
    input.on('error', reject);
    input.pipe(splitter);
  });
}
