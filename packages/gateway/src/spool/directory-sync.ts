import { open } from 'node:fs/promises';

/**
 * Group commit for one directory: renames made by concurrent sessions share one fsync of the
 * directory. A caller is answered only by an fsync that started after it asked, so the rename it
 * made before asking is covered; callers that ask while an fsync runs share the next one.
 */
export class DirectorySync {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;

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
    const handle = await open(this.dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
