/** A mistake in config/mailward.yaml; the message says what to change. */
export class HarakaSettingsError extends Error {
  readonly code = 'MW_HARAKA_CONFIG_INVALID';
  /** `positioned`: the message starts with `line:col: `, written right after the file name. */
  constructor(message: string, positioned = false) {
    super(`config/mailward.yaml:${positioned ? '' : ' '}${message}`);
    this.name = 'HarakaSettingsError';
  }
}
