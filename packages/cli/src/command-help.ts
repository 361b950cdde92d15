/** What `mailward <command> --help` prints: the command's usage line(s), then its options. */
export interface CommandHelp {
  usage: string;
  options?: string;
}

const SPOOL_OPTIONS = `  --spool DIR     the spool folder (default ./var/spool, where \`mailward serve\` keeps it)
  --config FILE   the spool named in this gateway.yaml
  --json          one JSON document instead of the table`;

export const HELP: Record<string, CommandHelp> = {
  check: {
    usage: 'mailward check POLICY | GATEWAY.yaml',
    options: '  Validates the policy, or a gateway.yaml and the policy it names as `mailward serve` takes them;\n  each problem is printed as file:line:col with what to change. Exit 1 when there is one.',
  },
  eval: {
    usage: `mailward eval POLICY MESSAGE.eml [--from ADDR] [--to ADDR]... [--client-ip IP] [--client-hostname NAME]
              [--helo NAME] [--direction inbound|outbound] [--facts FILE.yaml] [--out FILE] [--json]`,
    options: `  --from ADDR          envelope sender (default: the message's From; <> for a bounce)
  --to ADDR[,ADDR]     recipients, repeatable (default: the message's To and Cc)
  --client-ip IP       the connecting client (default 192.0.2.10, as in \`mailward test\`)
  --client-hostname N  its host name, as reverse DNS found it (default mail.example.net with the
                       default client, none with --client-ip)
  --helo NAME          its HELO name (default: its host name, else mail.example.net)
  --direction D        inbound or outbound (default: as the policy's outbound.clients decide)
  --facts FILE.yaml    scanner and lookup answers (spam, virus, dnsbl, ...) instead of live scanners
  --out FILE           write the message as it would be delivered (only when the verdict is accept)
  --json               one JSON object: verdict, reply, recipients, fired rules, effects, trace, changes`,
  },
  test: {
    usage: 'mailward test POLICY|DIR... [--strict] [--verbose]',
    options: `  Runs the YAML cases of a policy (its tests:, and *.test.yaml beside it), or of every policy under DIR.
  --strict    also fail when some rule is fired by no case
  --verbose   list passing cases too`,
  },
  replay: {
    usage: `mailward replay POLICY SOURCE... [--recipient ADDR]... [--sender ADDR] [--client IP] [--client-hostname NAME]
              [--helo NAME] [--show N] [--json]      (SOURCE: folder of .eml, maildir, mbox or .eml file)`,
    options: `  --recipient ADDR   recipients for every message, repeatable or ADDR,ADDR (default: each message's lowest
                     Delivered-To, else X-Original-To, else To and Cc)
  --sender ADDR      the envelope sender (default: each message's Return-Path, else From)
  --client IP        the connecting client (default 192.0.2.10, as in \`mailward test\`)
  --client-hostname NAME
                     its host name, as reverse DNS found it (default mail.example.net with the
                     default client, none with --client)
  --helo NAME        its HELO name (default: its host name, else mail.example.net)
  --show N           list up to N messages under each rule
  --json             one JSON document instead of the table`,
  },
  serve: {
    usage: 'mailward serve [--config FILE] [--domain D] [--listen HOST:PORT|systemd:NAME|fd:N] [--log-level L] [--log-format json|pretty]',
    options: `  --config FILE        gateway.yaml (default: the embedded default, the Firebox inbound example policy
                       on 127.0.0.1:2525, mail into ./var/mail, spool in ./var/spool)
  --domain D           the domain mail is accepted for (default acme.example)
  --listen HOST:PORT   where to listen, for a configuration with one listener; systemd:NAME or
                       fd:N: the listening socket systemd passed (socket activation)
  --log-level L        debug, info, warn or error (default info)
  --log-format F       json or pretty (default: gateway.yaml's log.format, else pretty on a terminal, json otherwise)`,
  },
  spool: {
    usage: 'mailward spool list | show ID | flush | delete ID      [--spool DIR | --config FILE] [--json]',
    options: `  list: queued and deferred messages; show ID: one message's headers and record; flush: the
  gateway tries everything at its next scan, due or not; delete ID: remove a message undelivered.
${SPOOL_OPTIONS}`,
  },
  quarantine: {
    usage: 'mailward quarantine list | show ID | release ID | delete ID  [--spool DIR | --config FILE] [--json]',
    options: `  list: what the policy held back; show ID: one message; release ID: queue it for delivery after
  all; delete ID: remove it.
${SPOOL_OPTIONS}`,
  },
  passwd: {
    usage: 'mailward passwd USER   (the password is read from standard input)',
    options: "  Prints the password-file line (user:scrypt:N:salt:hash) for a listener's auth.passwords.",
  },
};

/** True when the arguments ask for help (before a `--` that ends the options). */
export function asksForHelp(argv: readonly string[]): boolean {
  for (const a of argv) {
    if (a === '--') return false;
    if (a === '--help' || a === '-h') return true;
  }
  return false;
}

/** The text of `mailward <name> --help`. */
export function commandHelp(name: string, summary: string): string {
  const h = HELP[name];
  if (!h) return `mailward ${name}: ${summary}\n`;
  return `Usage: ${h.usage}\n\n${summary[0]!.toUpperCase()}${summary.slice(1)}.\n${h.options ? `\n${h.options}\n` : ''}`;
}
