import { Readable } from 'node:stream';
import type { AcceptedMessage, MessageStore, StoredMessage } from './message-store';

/**
 * A store that holds each message in memory and hands accepted ones to `deliver`: for MTAs built
 * on smtp-server that do their own queueing. Not durable: the gateway uses its spool instead.
 * `deliver` resolves to the queue id the client is told, or to nothing for a reply without one.
 */
export function memoryStore(deliver: (message: AcceptedMessage, raw: Buffer) => Promise<string | void>): MessageStore {
  return {
    async receive(data): Promise<StoredMessage> {
      const chunks: Buffer[] = [];
      for await (const chunk of data as AsyncIterable<Buffer>) chunks.push(chunk);
      const raw = Buffer.concat(chunks);
      return {
        source: { size: raw.length, open: () => Readable.from([raw]) },
        commit: (message) => deliver(message, raw),
        discard: async () => undefined,
      };
    },
  };
}
