/** The word of `words` closest to `word`, when it is close enough to be a typo of it. */
export function closestWord(word: string, words: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const w of words) {
    const d = distance(word.toLowerCase(), w.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [w, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

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

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
