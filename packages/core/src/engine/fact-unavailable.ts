/** Raised inside a condition when a fact it needs is absent or an error; the rule's onError decides. */
export class FactUnavailable extends Error {
  constructor(
    /** The fact as a reader knows it: "spam", "dnsbl zen.spamhaus.org", "resolves example.org". */
    readonly fact: string,
    readonly detail: string,
  ) {
    super(`${fact} unavailable: ${detail}`);
    this.name = 'FactUnavailable';
  }
}
