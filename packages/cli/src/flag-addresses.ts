import { UsageError } from './usage-error';

/**
 * The addresses of a repeatable flag (`--to`, `--recipient`): each value may also be a list,
 * `a@x.example,b@x.example`, as a To field is written, and an address may keep its angle brackets
 * as in RCPT TO. Anything else with a space in it is refused rather than run as one recipient.
 */
export function addressesFromFlag(flag: string, values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const out: string[] = [];
  for (const value of values) {
    for (const item of value.split(',')) {
      const address = item.trim().replace(/^<(.*)>$/, '$1');
      if (address === '') continue;
      if (/[\s<>]/.test(address)) throw new UsageError(`${flag} "${item.trim()}" is not an address; give one address per ${flag}, or a list separated by commas`);
      out.push(address);
    }
  }
  if (out.length === 0) throw new UsageError(`${flag} names no address`);
  return out;
}
