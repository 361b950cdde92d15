import type { Readable, Writable } from 'node:stream';

/**
 * Pipes `from` into `to`: an error of `from` destroys `to` with it, and `to` closing early
 * destroys `from` (so a file being read is closed). stream.pipeline does the same but costs an
 * AbortController and two Error objects per call, which shows on small messages.
 */
export function pipeInto<T extends Writable>(from: Readable, to: T): T {
  from.on('error', (err) => to.destroy(err));
  to.once('close', () => {
    if (!from.readableEnded) from.destroy();
  });
  return from.pipe(to);
}
