import type { RecipientOutcome } from './delivery-config';
import type { MessageForm } from './message-form';

/** A recipient's outcome as the relay gives it: what the hop that answered was sent, and what failed before it. */
export interface HopOutcome extends RecipientOutcome {
  /** The form the hop whose answer this is was given the message in; absent when no hop was. */
  form?: MessageForm;
  /** Each hop that failed before the one that answered, as `HOP: why`, in order. */
  failedOver?: string[];
}

/** A hop that failed and the one tried next (the `failover` log line): said as it happens, not only once every hop has failed. */
export interface Failover {
  recipients: string[];
  hop: string;
  error: string;
  next: string;
}
