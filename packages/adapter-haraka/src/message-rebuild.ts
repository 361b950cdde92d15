import type { HarakaMessageStreamClass, HarakaTransaction } from './haraka-types';

/** Rebuilt streams made by this process: each spools (when it does) to a file of its own. */
let rebuilt = 0;

/**
 * Puts a rewritten message back into the transaction. The header block goes into Haraka's own
 * Header object (the same `header_list` array, so it stays shared with the message stream and
 * other plugins' later add_header/remove_header calls still reach the next hop); the whole
 * message goes into a new message_stream built with that header_list, as Haraka builds its own.
 */
export async function replaceMessage(txn: HarakaTransaction, rewritten: Buffer): Promise<void> {
  const { head, whole } = splitHead(rewritten);

  const header = txn.header;
  header.header_list.length = 0;
  header.headers = Object.create(null) as Record<string, string[]>;
  header.headers_decoded = Object.create(null) as Record<string, string[]>;
  header.parse(head.length ? head.toString('utf8').split(/(?<=\n)/).map((l) => l.replace(/\r\n$/, '\n')) : []);
  txn.reset_headers();

  const MessageStream = txn.message_stream.constructor as HarakaMessageStreamClass;
  // A message over spool_after goes to `<id>.eml` in spool_dir, created exclusively: the stream
  // Haraka received into already holds the transaction's uuid's file (and unlinks it when it is
  // destroyed below), so this one is named apart.
  const stream = new MessageStream(txn.cfg, `${txn.uuid}.mailward-${++rebuilt}`, header.header_list);
  // A spool file that cannot be written (disk full) fails the data stage, not the process.
  let failed: Error | undefined;
  const written = new Promise<void>((resolve, reject) => {
    stream.on('error', (err) => {
      failed ??= err;
      reject(err);
    });
    for (const line of lines(whole)) stream.add_line(dotStuffed(line));
    // SMTP data ends with CRLF before the final dot; a last line without one would swallow the
    // dot a queue plugin appends (smtp_forward then waits forever), so it gets one.
    if (whole.length > 0 && whole[whole.length - 1] !== 0x0a) stream.add_line(Buffer.from('\r\n'));
    stream.add_line_end(() => (failed ? reject(failed) : resolve()));
  });
  try {
    await written;
  } catch (err) {
    stream.destroy();
    throw err;
  }

  const old = txn.message_stream;
  // Haraka's own handler (a crit line, 421 and close) goes with the stream: an error reading it
  // back at queue time must not go unheard.
  for (const listener of old.listeners('error')) stream.on('error', listener as (err: Error) => void);
  txn.message_stream = stream;
  old.destroy();
}

/** Header block (up to, not including, the empty line) and the message with CRLF line ends. */
function splitHead(message: Buffer): { head: Buffer; whole: Buffer } {
  const end = message.indexOf('\r\n\r\n');
  if (message.subarray(0, 2).equals(Buffer.from('\r\n'))) return { head: Buffer.alloc(0), whole: message };
  if (end === -1) {
    // Headers only: give the stream the empty line it needs to know where they end.
    const whole = message.length && !message.subarray(-2).equals(Buffer.from('\r\n'))
      ? Buffer.concat([message, Buffer.from('\r\n\r\n')])
      : Buffer.concat([message, Buffer.from('\r\n')]);
    return { head: whole.subarray(0, whole.length - 2), whole };
  }
  return { head: message.subarray(0, end + 2), whole: message };
}

function* lines(message: Buffer): Generator<Buffer> {
  let start = 0;
  while (start < message.length) {
    const lf = message.indexOf(0x0a, start);
    const stop = lf === -1 ? message.length : lf + 1;
    yield message.subarray(start, stop);
    start = stop;
  }
}

/** The stream stores lines as they came over SMTP: a leading dot doubled. */
function dotStuffed(line: Buffer): Buffer {
  return line[0] === 0x2e ? Buffer.concat([Buffer.from('.'), line]) : line;
}
