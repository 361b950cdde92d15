import { statfsSync } from 'node:fs';

/** Bytes free on the file system holding `dir`, for an unprivileged writer. */
export function freeBytes(dir: string): number {
  const fs = statfsSync(dir);
  return fs.bavail * fs.bsize;
}

/** A message refused at DATA for want of disk space: 452, and the client keeps it. */
export class NoRoomForMessage extends Error {
  readonly responseCode = 452;
  constructor() {
    super('4.3.1 Insufficient system storage, try again later');
  }
}

/** A message refused at DATA because the queue, with the messages being received, is at spoolLimit. */
export class QueueFull extends Error {
  readonly responseCode = 452;
  constructor() {
    super('4.3.1 Insufficient system storage: the queue is full, try again later');
  }
}

/**
 * Disk space promised to messages being received: `perMessage` (the policy's maxSize) each, from
 * the start of DATA to its commit or refusal. The free-disk guard at MAIL FROM reads the disk once
 * a second, and a look at the disk says nothing of the DATA under way: ten sessions that passed
 * the guard together each wrote their message, and filled the disk (to 0 bytes: then neither a
 * record nor a bounce could be written, nor the gateway start). Counted as used, the promised
 * space keeps the margin free whatever the sessions do.
 */
export class ReservedSpace {
  /** Bytes each message being received holds; 0 (nothing held) until the admission check sets it. */
  perMessage = 0;
  /**
   * spoolLimit, and how many messages are queued, set by the admission check: the messages being
   * received count too. Sessions that passed MAIL FROM together all got 250 (12 with spoolLimit 3).
   */
  queueLimit: { messages: number; queued: () => number } | undefined;
  private held = 0;
  private receiving = 0;

  /** Bytes promised to messages being received now. */
  get bytes(): number {
    return this.held;
  }

  /**
   * Hold `perMessage` bytes for one message, when the disk at `dir` has them and `margin` more
   * beside what is already held (else NoRoomForMessage), and a place in the queue (else
   * QueueFull). Returns the release (idempotent).
   */
  take(dir: string, margin: number): () => void {
    const size = this.perMessage;
    if (this.queueLimit && this.queueLimit.queued() + this.receiving >= this.queueLimit.messages) throw new QueueFull();
    if (size > 0 && freeBytes(dir) - this.held < size + margin) throw new NoRoomForMessage();
    this.held += size;
    this.receiving++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held -= size;
      this.receiving--;
    };
  }
}
