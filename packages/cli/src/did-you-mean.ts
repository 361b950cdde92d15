import { closestWord } from '@mailward/core';

/** The word of a list closest to a typo of it: core's, the one `mailward check` suggests keys with. */
export { closestWord };

/**
 * node:util parseArgs's "Unknown option '--frm'. To specify a positional argument..." said as
 * what to type: "unknown option --frm; did you mean --from?". `help` is the command's option
 * text, whose `--name`s are the options it knows. Other messages are returned unchanged.
 */
export function unknownOptionHint(message: string, help: string): string {
  const option = /^Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
  if (option === undefined) return message;
  const known = [...new Set(help.match(/--[a-z][a-z-]*/g) ?? [])].filter((o) => o !== '--help');
  const meant = closestWord(option, known);
  return `unknown option ${option}; ${meant ? `did you mean ${meant}?` : known.length > 0 ? `its options are ${known.join(', ')}` : 'it takes no options'}`;
}
