import { closeSync, openSync } from 'node:fs';
import { fsyncAsync } from './durable-file';

/** An open directory is closed after this long without a sync (a spool that is dropped leaks nothing). */
const IDLE_MS = 1000;

/**
 * Group commit for one directory: renames made by concurrent sessions share one fsync of the
 * directory. A caller is answered only by an fsync that started after it asked, so the rename it
 * made before asking is covered; callers that ask while an fsync runs share the next one. The
 * directory stays open while syncs keep coming, so each costs one thread-pool operation.
 */
export class DirectorySync {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private fd: number | undefined;
  private idle: NodeJS.Timeout | undefined;

  constructor(readonly dir: string) {}

  /** Resolves once an fsync of the directory that began after this call has completed. */
  sync(): Promise<void> {
    if (!this.running) {
      this.running = this.fsync().finally(() => (this.running = undefined));
      return this.running;
    }
    // One fsync is in flight and may have started before our rename: wait for the one after it.
    this.next ??= this.running.catch(() => undefined).then(() => {
      this.next = undefined;
      return this.sync();
    });
    return this.next;
  }

  private async fsync(): Promise<void> {
    clearTimeout(this.idle);
    this.fd ??= openSync(this.dir, 'r');
    try {
      await fsyncAsync(this.fd);
    } finally {
      this.idle = setTimeout(() => this.close(), IDLE_MS);
      this.idle.unref();
    }
  }

  private close(): void {
    if (this.fd === undefined || this.running) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
