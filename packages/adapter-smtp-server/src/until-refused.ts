import { Transform } from 'node:stream';

/**
 * Passes DATA on to the store only until the message is sure to be refused (over the size
 * limit, or not well formed): what follows is read to the end and dropped, so a 150 MB message
 * against a 20 KB limit costs the store about 20 KB, not every byte until the final dot.
 */
export function untilRefused(refused: () => boolean): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done): void {
      done(null, refused() ? undefined : chunk);
    },
  });
}
