import { randomBytes } from 'node:crypto';

const ID_BYTES = 5;
/** Ids' random parts are drawn in batches: a CSPRNG call per message cost more than the rest of the id. */
const BATCH = 256;
let entropy = Buffer.alloc(0);
let used = 0;

/** A new queue id: the time in base 36, then 10 random hex digits; time-ordered and unique. */
export function newQueueId(now = Date.now()): string {
  if (used + ID_BYTES > entropy.length) {
    entropy = randomBytes(ID_BYTES * BATCH);
    used = 0;
  }
  const random = entropy.toString('hex', used, used + ID_BYTES);
  used += ID_BYTES;
  return `${now.toString(36)}${random}`.toUpperCase();
}
