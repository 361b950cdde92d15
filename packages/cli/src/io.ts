/** Where a command writes: stdout and stderr, replaceable in tests. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal (colour and layout may differ). */
  tty: boolean;
}

/** The process's own streams. */
export const processIo: Io = {
  out: (text) => void (process.stdout.writable && process.stdout.write(text)),
  err: (text) => void process.stderr.write(text),
  tty: Boolean(process.stdout.isTTY),
};
