/** A mistake in config/mailward.yaml; the message says what to change. */
export class HarakaSettingsError extends Error {
  readonly code = 'MW_HARAKA_CONFIG_INVALID';
  constructor(message: string) {
    super(`config/mailward.yaml: ${message}`);
    this.name = 'HarakaSettingsError';
  }
}
