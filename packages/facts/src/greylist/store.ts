/** Greylisting state of one triplet (or one auto-whitelisted client network). */
export interface GreylistEntry {
  /** When the triplet was first seen, ms since the epoch. */
  first: number;
  /** Set once a retry came after the delay. */
  passed?: boolean;
  /** When a passed entry last let mail through (its lifetime was renewed), ms since the epoch. */
  seen?: number;
}

/** Where greylisting keeps its state: one process (memory) or several gateways (Redis). */
export interface GreylistStore {
  get(key: string): Promise<GreylistEntry | undefined>;
  /** Store only if absent (the first sighting wins when gateways race); true when stored. */
  create(key: string, entry: GreylistEntry, ttlSeconds: number): Promise<boolean>;
  put(key: string, entry: GreylistEntry, ttlSeconds: number): Promise<void>;
  close?(): Promise<void>;
}
