/** A mistake in how the command was called (exit 2), with what to type instead. */
export class UsageError extends Error {
  readonly code = 'MW_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A problem with what the user gave (a bad policy, an unreadable message): exit 1. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}
