import type { TransformCallback } from 'node:stream';

/**
 * Runs one step of an edit stream; a throw becomes the stream's error. Thrown out of a
 * Transform's callback it went up through the pipe that wrote to it, an uncaught exception
 * that ended the gateway at every delivery attempt of the message.
 */
export function guarded(work: () => void, done: TransformCallback): void {
  try {
    work();
  } catch (err) {
    done(err as Error);
  }
}
