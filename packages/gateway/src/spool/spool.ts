import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { QueueRecord } from './queue-record';
import { syncDirectory, writeDurably } from './durable-file';

/** The spool's folders: FireWall-1's D_state (queue) and D_resend (deferred), plus quarantine and corrupt. */
export type SpoolArea = 'tmp' | 'queue' | 'deferred' | 'quarantine' | 'corrupt';
const AREAS: readonly SpoolArea[] = ['tmp', 'queue', 'deferred', 'quarantine', 'corrupt'];

const END_MARK = '\n#end\n';

/**
 * One message is two files: `ID.eml` (the bytes as received) and `ID.json` (the record, with the
 * message's size and SHA-256, ending in an end mark). The record is written last: a message
 * without a whole record is not in the queue.
 */
export class Spool {
  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    chmodSync(root, 0o700);
    for (const area of AREAS) mkdirSync(join(root, area), { recursive: true, mode: 0o700 });
  }

  /** A new queue id: time-ordered and unique. */
  newId(): string {
    return `${Date.now().toString(36)}${randomBytes(5).toString('hex')}`.toUpperCase();
  }

  path(area: SpoolArea, id: string, ext: 'eml' | 'json'): string {
    return join(this.root, area, `${id}.${ext}`);
  }

  /** Write a record durably. */
  writeRecord(area: SpoolArea, record: QueueRecord): void {
    writeDurably(this.path(area, record.id, 'json'), JSON.stringify(record, null, 1) + END_MARK);
  }

  /** Move a message (file, then record) from one area to another, durably. */
  move(id: string, from: SpoolArea, to: SpoolArea): void {
    for (const ext of ['eml', 'json'] as const) {
      const source = this.path(from, id, ext);
      if (existsSync(source)) renameSync(source, this.path(to, id, ext));
    }
    syncDirectory(join(this.root, to));
    syncDirectory(join(this.root, from));
  }

  /** Ids of messages waiting for delivery: new (queue/) and retried (deferred/). */
  pending(): { id: string; area: 'queue' | 'deferred' }[] {
    return [...this.list('queue').map((id) => ({ id, area: 'queue' as const })), ...this.list('deferred').map((id) => ({ id, area: 'deferred' as const }))];
  }

  /** Where a message waiting for delivery is, if it is. */
  whereQueued(id: string): 'queue' | 'deferred' | undefined {
    if (this.list('queue').includes(id)) return 'queue';
    if (this.list('deferred').includes(id)) return 'deferred';
    return undefined;
  }

  /** Ids in an area that have a record. */
  list(area: SpoolArea): string[] {
    return readdirSync(join(this.root, area)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  }

  /** When a record says its next attempt is, without checking the message (cheap, for scans). */
  nextAttemptOf(area: SpoolArea, id: string): number | undefined {
    try {
      const text = readFileSync(this.path(area, id, 'json'), 'utf8');
      const m = /"nextAttempt": (\d+)/.exec(text);
      return m ? Number(m[1]) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Read and check a record and its message; a torn or altered one goes to `corrupt/`. */
  read(area: SpoolArea, id: string): QueueRecord | undefined {
    const problem = this.check(area, id);
    if (typeof problem !== 'string') return problem;
    this.move(id, area, 'corrupt');
    throw new SpoolCorruption(id, problem);
  }

  private check(area: SpoolArea, id: string): QueueRecord | string {
    let text: string;
    try {
      text = readFileSync(this.path(area, id, 'json'), 'utf8');
    } catch (err) {
      return `record unreadable: ${(err as Error).message}`;
    }
    if (!text.endsWith(END_MARK)) return 'record has no end mark (torn write)';
    let record: QueueRecord;
    try {
      record = JSON.parse(text.slice(0, -END_MARK.length)) as QueueRecord;
    } catch {
      return 'record is not JSON';
    }
    const file = this.path(area, id, 'eml');
    if (!existsSync(file)) return 'message file missing';
    if (statSync(file).size !== record.size) return `message file is ${statSync(file).size} bytes, record says ${record.size}`;
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    if (sha !== record.sha256) return 'message file checksum differs from the record';
    return record;
  }

  /** Remove a message for good (delivered, refused, or deleted by the admin). */
  remove(area: SpoolArea, id: string): void {
    rmSync(this.path(area, id, 'json'), { force: true });
    rmSync(this.path(area, id, 'eml'), { force: true });
    syncDirectory(join(this.root, area));
  }

  /** On start: what was being received when the process stopped was never acknowledged. */
  cleanTmp(): number {
    const dir = join(this.root, 'tmp');
    const files = readdirSync(dir);
    for (const f of files) rmSync(join(dir, f), { force: true });
    return files.length;
  }
}

/** A spooled message whose files do not check out; it was moved to `corrupt/`, not deleted. */
export class SpoolCorruption extends Error {
  readonly code = 'MW_SPOOL_CORRUPT';
  constructor(readonly id: string, readonly problem: string) {
    super(`spooled message ${id} is damaged (${problem}); moved to corrupt/`);
  }
}
