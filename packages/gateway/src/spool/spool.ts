import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, chmodSync } from 'node:fs';
import { readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { QueueRecord } from './queue-record';
import type { Generated } from './generated-message';
import { DirectorySync } from './directory-sync';
import { newQueueId } from './queue-id';
import { removeFile, syncDirectory, writeDurably, writeSynced } from './durable-file';
import { checkSpoolLayout } from './spool-layout';
import { ReservedSpace } from './reserved-space';

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
  private readonly directories = new Map<SpoolArea, DirectorySync>();
  private readonly queuedListeners = new Set<(record: QueueRecord, bytes?: Buffer) => void>();
  /** Ids renamed into an area whose directory fsync has not answered yet: not committed, so not deliverable. */
  private readonly committing = new Set<string>();
  /** Space promised to messages in DATA: the admission check counts it as used. */
  readonly reserved = new ReservedSpace();

  constructor(readonly root: string) {
    checkSpoolLayout(root); // before anything in it is changed
    // Only the spool is 0700: a parent made 0700 too (var/ of a default var/spool) would lock
    // out the `user:` the spool is handed to.
    mkdirSync(dirname(root), { recursive: true });
    mkdirSync(root, { recursive: true, mode: 0o700 });
    chmodSync(root, 0o700);
    for (const area of AREAS) {
      mkdirSync(join(root, area), { recursive: true, mode: 0o700 });
      this.directories.set(area, new DirectorySync(join(root, area)));
    }
  }

  /** Be told of every message this process commits into queue/, with its bytes when held (the dequeuer's wake-up). */
  onQueued(listener: (record: QueueRecord, bytes?: Buffer) => void): () => void {
    this.queuedListeners.add(listener);
    return () => this.queuedListeners.delete(listener);
  }

  /**
   * Commit a received message from tmp/: its record is written and fsynced beside it while the
   * message's own fsync (`synced`) completes, then both are renamed into `to` and the directory
   * is fsynced (shared with concurrent commits). When this resolves the message is durable and
   * may be acknowledged. A `notice` (a generated message about this one: the quarantine notice)
   * is written beside it and queued after it is durable, before this resolves: what is
   * acknowledged has its notice queued, and a notice is never about a message that is not there.
   */
  async commitReceived(record: QueueRecord, to: 'queue' | 'quarantine', message: { bytes?: Buffer | undefined; synced?: Promise<void>; notice?: Generated } = {}): Promise<void> {
    const { notice } = message;
    // The caller removes the message's files from tmp/ when this fails; the notice's are ours.
    const dropNotice = (): Promise<unknown> => (notice ? Promise.all((['eml', 'json'] as const).map((ext) => removeFile(this.path('tmp', notice.record.id, ext)).catch(() => undefined))) : Promise.resolve());
    // tmp/ is emptied at start, so a record torn there was never in the queue.
    await Promise.all([
      message.synced, writeSynced(this.path('tmp', record.id, 'json'), recordText(record)),
      ...(notice ? [writeSynced(this.path('tmp', notice.record.id, 'eml'), notice.bytes), writeSynced(this.path('tmp', notice.record.id, 'json'), recordText(notice.record))] : []),
    ]).catch(async (err: unknown) => {
      await dropNotice();
      throw err;
    });
    // Renames from the event loop: metadata in the page cache, cheaper than two thread-pool trips.
    this.committing.add(record.id);
    if (notice) this.committing.add(notice.record.id);
    try {
      renameSync(this.path('tmp', record.id, 'eml'), this.path(to, record.id, 'eml'));
      renameSync(this.path('tmp', record.id, 'json'), this.path(to, record.id, 'json'));
      await this.syncArea(to);
      if (notice) {
        renameSync(this.path('tmp', notice.record.id, 'eml'), this.path('queue', notice.record.id, 'eml'));
        renameSync(this.path('tmp', notice.record.id, 'json'), this.path('queue', notice.record.id, 'json'));
        await this.syncArea('queue');
      }
    } catch (err) {
      // The client is told 4xx and will send again: what got into `to` must not be delivered too.
      for (const ext of ['json', 'eml'] as const) await unlink(this.path(to, record.id, ext)).catch(() => undefined);
      if (notice) for (const ext of ['json', 'eml'] as const) await unlink(this.path('queue', notice.record.id, ext)).catch(() => undefined);
      await dropNotice();
      throw err;
    } finally {
      // The listeners below claim it in the same tick: a scan never sees it unclaimed and committed.
      this.committing.delete(record.id);
      if (notice) this.committing.delete(notice.record.id);
    }
    for (const listener of this.queuedListeners) {
      if (to === 'queue') listener(record, message.bytes);
      if (notice) listener(notice.record, notice.bytes);
    }
  }

  /** Whether a commit of this id is between its renames and its directory fsync (a scan must leave it alone). */
  isCommitting(id: string): boolean {
    return this.committing.has(id);
  }

  /** Write a record durably, off the event loop. */
  async persistRecord(area: SpoolArea, record: QueueRecord): Promise<void> {
    const path = this.path(area, record.id, 'json');
    await writeSynced(`${path}.part`, recordText(record)).catch(async (err: unknown) => {
      // A draft cut by a full disk holds the blocks it got: the next write needs them.
      await removeFile(`${path}.part`).catch(() => undefined);
      const e = err as NodeJS.ErrnoException;
      throw Object.assign(new Error(`${e.message} (${path}.part)`), { code: e.code });
    });
    await rename(`${path}.part`, path);
    await this.syncArea(area);
  }

  /** Move a message (file, then record) between areas durably, off the event loop. */
  async moveDurably(id: string, from: SpoolArea, to: SpoolArea): Promise<void> {
    await rename(this.path(from, id, 'eml'), this.path(to, id, 'eml'));
    await rename(this.path(from, id, 'json'), this.path(to, id, 'json'));
    await this.syncArea(to); // the new entries durable before the old ones are gone
    await this.syncArea(from);
  }

  /** Remove a delivered or bounced message, record first (without it the message is not queued). */
  async removeDurably(area: SpoolArea, id: string): Promise<void> {
    await removeFile(this.path(area, id, 'json'));
    await removeFile(this.path(area, id, 'eml'));
    await this.syncArea(area);
  }

  /** fsync an area's directory, one fsync covering every caller waiting at the time. */
  syncArea(area: SpoolArea): Promise<void> {
    return this.directories.get(area)!.sync();
  }

  /** A new queue id: time-ordered and unique. */
  newId(): string {
    return newQueueId();
  }

  path(area: SpoolArea, id: string, ext: 'eml' | 'json'): string {
    return join(this.root, area, `${id}.${ext}`);
  }

  /** Write a record durably. */
  writeRecord(area: SpoolArea, record: QueueRecord): void {
    writeDurably(this.path(area, record.id, 'json'), recordText(record));
  }

  /**
   * Move a message (file, then record; or record first) from one area to another, durably.
   * A record moved ahead of its message is one the dequeuer finds and finishes the move of.
   */
  move(id: string, from: SpoolArea, to: SpoolArea, first: 'eml' | 'json' = 'eml'): void {
    for (const ext of first === 'eml' ? (['eml', 'json'] as const) : (['json', 'eml'] as const)) {
      try {
        renameSync(this.path(from, id, ext), this.path(to, id, ext));
      } catch (err) {
        // Gone from `from`: not there at all, or moved on meanwhile by the dequeuer finishing
        // this move (the record went first); anything else is a failure.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    syncDirectory(join(this.root, to));
    syncDirectory(join(this.root, from));
  }

  /** Ids of messages waiting for delivery: new (queue/) and retried (deferred/). */
  pending(): { id: string; area: 'queue' | 'deferred' }[] {
    const queue = this.list('queue');
    // Listed after queue/: a message moved there from queue/ in between is listed once, where it is now.
    const deferred = this.list('deferred');
    const retried = new Set(deferred);
    return [...queue.filter((id) => !retried.has(id)).map((id) => ({ id, area: 'queue' as const })), ...deferred.map((id) => ({ id, area: 'deferred' as const }))];
  }

  /** Where a message waiting for delivery is, if it is. */
  whereQueued(id: string): 'queue' | 'deferred' | undefined {
    if (this.list('queue').includes(id)) return 'queue';
    if (this.list('deferred').includes(id)) return 'deferred';
    return undefined;
  }

  /** Ids in an area that have a record. */
  list(area: SpoolArea): string[] {
    return idsOf(readdirSync(join(this.root, area)));
  }

  /** Ids in an area that have a record, off the event loop (the dequeuer's scans). */
  async listAsync(area: SpoolArea): Promise<string[]> {
    return idsOf(await readdir(join(this.root, area)));
  }

  /** When a record says its next attempt is, without checking the message (cheap, for scans). */
  async nextAttemptOf(area: SpoolArea, id: string): Promise<number | undefined> {
    try {
      const text = await readFile(this.path(area, id, 'json'), 'utf8');
      const m = /"nextAttempt": (\d+)/.exec(text);
      return m ? Number(m[1]) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The record alone, not checked against its message; undefined when absent or unreadable. */
  async peekRecord(area: SpoolArea, id: string): Promise<QueueRecord | undefined> {
    const record = parseRecord(await readFile(this.path(area, id, 'json'), 'utf8').catch(() => ''));
    return typeof record === 'string' ? undefined : record;
  }

  /**
   * `read`, off the event loop and hashing the message as a stream: a record that vanished
   * meanwhile (delivered, deleted) is undefined; a torn or altered one goes to `corrupt/`.
   */
  async load(area: SpoolArea, id: string, finishMoves = false): Promise<QueueRecord | undefined> {
    let text: string;
    try {
      text = await readFile(this.path(area, id, 'json'), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const problem = await checkAsync(text, this.path(area, id, 'eml'));
    if (typeof problem !== 'string') return problem;
    if (finishMoves && problem === 'message file missing' && (await this.finishMove(id, area))) return this.load(area, id);
    if (problem === 'message file missing' && !existsSync(this.path(area, id, 'json'))) return undefined; // removed meanwhile
    this.move(id, area, 'corrupt');
    throw new SpoolCorruption(id, problem);
  }

  /**
   * A move between areas renames one file, then the other: a crash between the two, or a
   * release (`mailward quarantine release`, record first) still under way, leaves the record
   * here and the message in another area. Bring it here; a release that moves it meanwhile
   * has done the same.
   */
  private async finishMove(id: string, area: SpoolArea): Promise<boolean> {
    for (const other of ['queue', 'deferred', 'quarantine'] as const) {
      if (other === area || !existsSync(this.path(other, id, 'eml')) || existsSync(this.path(other, id, 'json'))) continue;
      try {
        await rename(this.path(other, id, 'eml'), this.path(area, id, 'eml'));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !existsSync(this.path(area, id, 'eml'))) throw err;
      }
      await this.syncArea(area);
      await this.syncArea(other);
      return true;
    }
    return false;
  }

  /**
   * Read and check a record and its message; a torn or altered one goes to `corrupt/`. What the
   * running gateway is doing meanwhile is no damage, and is undefined: a record that left the
   * area (delivered, moved on, deleted), or one whose message was just renamed into the area the
   * record goes to next (a move renames the message first).
   */
  read(area: SpoolArea, id: string): QueueRecord | undefined {
    const problem = this.check(area, id);
    if (typeof problem !== 'string') return problem;
    if (this.inMotion(area, id, problem)) return undefined;
    this.move(id, area, 'corrupt');
    throw new SpoolCorruption(id, problem);
  }

  private inMotion(area: SpoolArea, id: string, problem: string): boolean {
    if (!existsSync(this.path(area, id, 'json'))) return true;
    if (problem !== 'message file missing') return false;
    return (['queue', 'deferred', 'quarantine'] as const).some((other) => other !== area && existsSync(this.path(other, id, 'eml')));
  }

  private check(area: SpoolArea, id: string): QueueRecord | string {
    let text: string;
    try {
      text = readFileSync(this.path(area, id, 'json'), 'utf8');
    } catch (err) {
      return `record unreadable: ${(err as Error).message}`;
    }
    const record = parseRecord(text);
    if (typeof record === 'string') return record;
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path(area, id, 'eml')); // one read: it may be renamed away at any moment
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'message file missing';
      throw err;
    }
    if (bytes.length !== record.size) return `message file is ${bytes.length} bytes, record says ${record.size}`;
    if (createHash('sha256').update(bytes).digest('hex') !== record.sha256) return 'message file checksum differs from the record';
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

function recordText(record: QueueRecord): string {
  return JSON.stringify(record, null, 1) + END_MARK;
}

function idsOf(files: string[]): string[] {
  return files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/** The record in a record file's text, or what is wrong with it. */
function parseRecord(text: string): QueueRecord | string {
  if (!text.endsWith(END_MARK)) return 'record has no end mark (torn write)';
  try {
    return JSON.parse(text.slice(0, -END_MARK.length)) as QueueRecord;
  } catch {
    return 'record is not JSON';
  }
}

async function checkAsync(text: string, file: string): Promise<QueueRecord | string> {
  const record = parseRecord(text);
  if (typeof record === 'string') return record;
  // Only a file that is not there is missing: EMFILE or EIO is an error to retry, not corruption.
  const size = await stat(file).then(
    (s) => s.size,
    (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : Promise.reject(err)),
  );
  if (size === undefined) return 'message file missing';
  if (size !== record.size) return `message file is ${size} bytes, record says ${record.size}`;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  if (hash.digest('hex') !== record.sha256) return 'message file checksum differs from the record';
  return record;
}

/** A spooled message whose files do not check out; it was moved to `corrupt/`, not deleted. */
export class SpoolCorruption extends Error {
  readonly code = 'MW_SPOOL_CORRUPT';
  constructor(readonly id: string, readonly problem: string) {
    super(`spooled message ${id} is damaged (${problem}); moved to corrupt/`);
  }
}
