/**
 * haraka-plugin-mailward's hooks called as Haraka 3.3 calls them (callback style, return value
 * ignored) on haraka-test-fixtures connections and transactions, with a real policy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codes } from '../src/codes';
import { sessionNotes } from '../src/session-notes';
import { PluginUnderTest, deliveredMessage, withMessage, type HookCall } from './support/plugin-under-test';
import { exeMessage, textMessage } from './fixtures/messages';

const POLICY = fs.readFileSync(path.join(__dirname, 'fixtures/unit-policy.yaml'), 'utf8');

let current: PluginUnderTest | undefined;

function loaded(mailwardYaml = 'policy: policy.yaml\nsecret: unit-secret\n', policy = POLICY): PluginUnderTest {
  current = new PluginUnderTest({ 'mailward.yaml': mailwardYaml, 'policy.yaml': policy });
  current.register();
  return current;
}

afterEach(() => {
  current?.cleanup();
  current = undefined;
});

/** Exactly one next() call, nothing returned to Haraka. */
function once(call: HookCall): HookCall {
  expect(call.calls).toBe(1);
  expect(call.returned).toBeUndefined();
  return call;
}

function reply(call: HookCall): { code: number; reply: string } | undefined {
  const msg = call.msg as { code: number; reply: string } | undefined;
  return msg && typeof msg === 'object' ? { code: msg.code, reply: msg.reply } : undefined;
}

describe('register()', () => {
  it('loads the policy and registers the hooks that need a priority', () => {
    const t = loaded();
    expect(t.plugin.mailward?.policy).toBeDefined();
    expect(t.registered).toEqual(
      expect.arrayContaining([
        { hook: 'data_post', method: 'mailward_data_post', priority: 50 },
        { hook: 'queue', method: 'mailward_queue', priority: -100 },
        { hook: 'queue_ok', method: 'mailward_queue_ok' },
        { hook: 'capabilities', method: 'mailward_capabilities', priority: 100 },
        { hook: 'unrecognized_command', method: 'mailward_command', priority: -100 },
      ]),
    );
  });

  it('refuses to start with a bad policy (fail closed), naming the problem', () => {
    const t = new PluginUnderTest({ 'mailward.yaml': 'policy: policy.yaml\n', 'policy.yaml': 'version: 1\nrcpt: { rules: [ { id: Bad Id, do: [ accept ] } ] }\n' });
    current = t;
    expect(() => t.register()).toThrow();
  });
});

describe('connect and helo', () => {
  it('rejects a blocked client with the policy reply, and passes others on (CONT)', async () => {
    const t = loaded();
    const blocked = once(await t.call('hook_connect', t.connection({ ip: '198.51.100.7' })));
    expect(blocked.code).toBe(codes.deny);
    expect(reply(blocked)).toEqual({ code: 554, reply: '5.7.1 Your network is blocked' });
    const other = once(await t.call('hook_connect', t.connection({ ip: '192.0.2.1' })));
    expect(other.code).toBe(codes.cont);
  });

  it('judges HELO and EHLO alike', async () => {
    const t = loaded();
    for (const hook of ['hook_helo', 'hook_ehlo']) {
      const call = once(await t.call(hook, t.connection({ helo: 'localhost' })));
      expect(call.code).toBe(codes.deny);
      expect(reply(call)?.reply).toBe('5.7.1 Say who you are');
      expect(once(await t.call(hook, t.connection({ helo: 'mail.example.org' }))).code).toBe(codes.cont);
    }
  });
});

describe('mail and rcpt', () => {
  async function rcpt(t: PluginUnderTest, conn: ReturnType<PluginUnderTest['connection']>, to: string, params = {}) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Address } = require('@haraka/email-address');
    const address = new Address(`<${to}>`);
    conn.transaction!.rcpt_to.push(address);
    const call = once(await t.call('hook_rcpt', conn, [address, params]));
    if (call.code !== codes.ok && call.code !== codes.cont) conn.transaction!.rcpt_to.pop();
    return call;
  }

  it('accepts our domains (OK, so Haraka relays) and refuses the rest: anti-relay', async () => {
    const t = loaded();
    const conn = t.connection({ helo: 'client.example.org' });
    await withMessage(conn, { from: 'penny@example.org', to: [] }, textMessage('x'));
    expect((await rcpt(t, conn, 'al@acme.example')).code).toBe(codes.ok);
    const foreign = await rcpt(t, conn, 'victim@elsewhere.example');
    expect(foreign.code).toBe(codes.deny);
    expect(reply(foreign)).toEqual({ code: 550, reply: '5.7.1 Relaying denied' });
    expect(conn.transaction!.results.get('mailward')).toMatchObject({ fail: ['rcpt:default'], pass: ['rcpt:our-domains-only'] });
  });

  it('refuses recipients over smtp.maxRecipients with 452, per recipient', async () => {
    const t = loaded();
    const conn = t.connection({ helo: 'client.example.org' });
    await withMessage(conn, { from: 'penny@example.org', to: [] }, textMessage('x'));
    for (const n of [1, 2, 3]) expect((await rcpt(t, conn, `u${n}@acme.example`)).code).toBe(codes.ok);
    const fourth = await rcpt(t, conn, 'u4@acme.example');
    expect(fourth.code).toBe(codes.denysoft);
    expect(reply(fourth)?.code).toBe(452);
  });

  it('refuses a sender by rule and DSN parameters when DSN is hidden', async () => {
    const t = loaded();
    const conn = t.connection({ helo: 'client.example.org' });
    await withMessage(conn, { from: 'bulk@spam.example', to: [] }, textMessage('x'));
    const refused = once(await t.call('hook_mail', conn, [conn.transaction!.mail_from, {}]));
    expect(reply(refused)).toEqual({ code: 550, reply: '5.7.1 Sender refused' });

    await withMessage(conn, { from: 'penny@example.org', to: [] }, textMessage('x'));
    const ret = once(await t.call('hook_mail', conn, [conn.transaction!.mail_from, { RET: 'HDRS' }]));
    expect(ret.code).toBe(codes.deny);
    expect(reply(ret)?.code).toBe(555);
    expect(once(await t.call('hook_mail', conn, [conn.transaction!.mail_from, {}])).code).toBe(codes.cont);
  });
});

describe('hidden keywords', () => {
  it('removes them from the EHLO reply and refuses their commands', async () => {
    const t = loaded();
    const conn = t.connection({ helo: 'client.example.org' });
    conn.capabilities = ['mx Hello', 'PIPELINING', '8BITMIME', 'SIZE 0', 'AUTH PLAIN LOGIN', 'STARTTLS'];
    expect(once(await t.call('mailward_capabilities', conn)).code).toBe(codes.cont);
    expect(conn.capabilities).toEqual(['mx Hello', 'PIPELINING', '8BITMIME', 'SIZE 0', 'STARTTLS']);
    const auth = once(await t.call('mailward_command', conn, ['AUTH', 'PLAIN dGVzdA==']));
    expect(auth.code).toBe(codes.deny);
    expect(reply(auth)?.code).toBe(502);
    expect(once(await t.call('mailward_command', conn, ['STARTTLS'])).code).toBe(codes.cont);
  });
});

describe('data_post', () => {
  async function atData(t: PluginUnderTest, message: string) {
    const conn = t.connection({ helo: 'client.example.org' });
    await withMessage(conn, { from: 'penny@example.org', to: ['al@acme.example'] }, message);
    const call = once(await t.call('mailward_data_post', conn));
    return { conn, call };
  }

  it('strips an .exe and leaves the notice, rebuilding message_stream on the same header_list', async () => {
    const t = loaded();
    const { conn, call } = await atData(t, exeMessage());
    expect(call.code).toBe(codes.cont);
    const headerList = conn.transaction!.header.header_list;
    const out = await deliveredMessage(conn);
    expect(out).toContain('Removed invoice.exe (application/octet-stream) by rule strip-exe');
    expect(out).not.toContain('TVqQAAMAAAAEAAAA');
    expect(out).toContain('See attached.');
    // Another plugin's later header edit still reaches the next hop.
    conn.transaction!.add_header('X-Later', 'yes');
    expect(conn.transaction!.header.header_list).toBe(headerList);
    expect(await deliveredMessage(conn)).toMatch(/\r\nX-Later: yes\r\n\r\n/);
  });

  it('removes headers through the rewrite and keeps Haraka\'s Header object in step', async () => {
    const t = loaded();
    const { conn } = await atData(t, textMessage('hello'));
    const txn = conn.transaction!;
    expect(txn.header.get('X-Mailer')).toBe('');
    expect(txn.header.get('X-Originating-IP')).toBe('');
    expect(txn.header.get('Subject')).toBe('hello\n');
    const out = await deliveredMessage(conn);
    expect(out).not.toMatch(/X-Mailer|X-Originating-IP/);
    expect(out).toContain('\r\n.a line that starts with a dot\r\n');
  });

  it('refuses a message with the policy reply', async () => {
    const t = loaded();
    const { call } = await atData(t, textMessage('refuse me'));
    expect(call.code).toBe(codes.deny);
    expect(reply(call)).toEqual({ code: 550, reply: '5.7.1 Message refused' });
  });

  it('drop: accepts at data, then answers OK at queue so nothing delivers it', async () => {
    const t = loaded();
    const { conn, call } = await atData(t, textMessage('drop me'));
    expect(call.code).toBe(codes.cont);
    expect(sessionNotes(conn.transaction!.notes).verdict).toBe('drop');
    expect(once(await t.call('mailward_queue', conn)).code).toBe(codes.ok);
  });

  it('quarantine: refuses 451 at end of DATA when nothing can hold it (Haraka would make a queue-time 451 a 450)', async () => {
    const t = loaded();
    const { conn, call } = await atData(t, textMessage('hold me'));
    expect(call.code).toBe(codes.denysoft);
    expect(`${call.msg as object}`).toBe('451 4.3.0 Message cannot be queued now; try again later');
    expect(conn.transaction!.notes.quarantine).toBeUndefined();
    expect(t.logs.some((l) => l.includes('neither quarantine.dir'))).toBe(true);
    // The decision line says the reply the client got, not the policy's 250 (trial 38).
    expect(t.logs.filter((l) => l.includes('decision stage=data'))).toEqual([
      expect.stringMatching(/^notice +decision stage=data bytes=\d+ verdict=quarantine rule=quarantine-test fired=quarantine-test reply="451 4\.3\.0 Message cannot be queued now; try again later" reason="test"/),
    ]);
  });

  it('quarantine: leaves the notes queue/quarantine reads when it is in config/plugins', async () => {
    const t = loaded();
    t.write('plugins', 'mailward\nqueue/quarantine\nqueue/smtp_forward\n');
    const { conn, call } = await atData(t, textMessage('hold me'));
    expect(call.code).toBe(codes.cont);
    expect(conn.transaction!.notes.quarantine).toBe('mailward');
    expect(once(await t.call('mailward_queue', conn)).code).toBe(codes.cont);
  });

  it('quarantine: writes the message to quarantine.dir itself when configured', async () => {
    const t = loaded('policy: policy.yaml\nsecret: s\nquarantine: { dir: held }\n');
    const { conn } = await atData(t, textMessage('hold me'));
    expect(once(await t.call('mailward_queue', conn)).code).toBe(codes.ok);
    const file = conn.transaction!.notes.quarantined as string;
    expect(file.startsWith(path.join(t.dir, 'config', 'held'))).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toContain('Subject: hold me');
    // Someone's mail: Haraka's user alone may read it (the folders it made too).
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(path.dirname(file))).toEqual([path.basename(file)]);
  });

  it('quarantine.dir: a message that cannot be read back fails the hook (DENYSOFT), neither hangs nor leaves a temp file', async () => {
    const t = loaded('policy: policy.yaml\nsecret: s\nquarantine: { dir: held }\n');
    const { conn } = await atData(t, textMessage('hold me'));
    const stream = conn.transaction!.message_stream as unknown as { pipe: unknown; emit(e: string, err: Error): void };
    stream.pipe = (out: NodeJS.WritableStream) => {
      setImmediate(() => stream.emit('error', new Error('EIO reading the spool file')));
      return out;
    };
    const call = once(await t.call('mailward_queue', conn));
    expect(call.code).toBe(codes.denysoft);
    const held = path.join(t.dir, 'config', 'held');
    const files = fs.existsSync(held) ? (fs.readdirSync(held, { recursive: true }) as string[]).filter((f) => f.includes('.')) : [];
    expect(files).toEqual([]);
  });

  it('turns an internal failure into DENYSOFT, never CONT (fail closed) and never a crash', async () => {
    const t = loaded();
    const conn = t.connection({ helo: 'client.example.org' });
    await withMessage(conn, { from: 'penny@example.org', to: ['al@acme.example'] }, textMessage('x'));
    conn.transaction!.message_stream.pipe = () => {
      throw new Error('disk gone');
    };
    const call = once(await t.call('mailward_data_post', conn));
    expect(call.code).toBe(codes.denysoft);
    expect(reply(call)?.code).toBe(451);
    expect(t.logs.some((l) => l.includes('disk gone'))).toBe(true);
  });

  it('answers DENYSOFT when no policy could be loaded', async () => {
    const t = loaded();
    delete t.plugin.mailward;
    expect(once(await t.call('hook_connect', t.connection())).code).toBe(codes.denysoft);
  });
});

describe('facts from other Haraka plugins', () => {
  const SPAM_POLICY = `version: 1
rcpt: { default: accept }
data:
  default: accept
  rules:
    - id: spam-tag
      when: { spam: { score: { gte: 5 } } }
      do: [ { subject: { prefix: "[SPAM] " } } ]
`;

  it('uses spamassassin\'s score from transaction.results', async () => {
    const t = loaded('policy: policy.yaml\n', SPAM_POLICY);
    const conn = t.connection({ helo: 'client.example.org' });
    await withMessage(conn, { from: 'penny@example.org', to: ['al@acme.example'] }, textMessage('buy now'));
    conn.transaction!.results.add({ name: 'spamassassin' }, { score: 9.1, required: 5, tests: 'BAYES_99' });
    expect(once(await t.call('mailward_data_post', conn)).code).toBe(codes.cont);
    expect(conn.transaction!.header.get('Subject')).toBe('[SPAM] buy now\n');
  });

  it('tempfails (rule onError default) when spamassassin did not run and no spamd is set', async () => {
    const t = loaded('policy: policy.yaml\n', SPAM_POLICY);
    const conn = t.connection({ helo: 'client.example.org' });
    await withMessage(conn, { from: 'penny@example.org', to: ['al@acme.example'] }, textMessage('buy now'));
    const call = once(await t.call('mailward_data_post', conn));
    expect(call.code).toBe(codes.denysoft);
    // The engine's fact-error tempfail, not the plugin's own failure answer (4.3.0).
    expect(reply(call)?.reply).toMatch(/^4\.7\.1 /);
  });
});

describe('reloading', () => {
  async function until(check: () => boolean): Promise<void> {
    while (!check()) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it('uses an edited policy without a restart, and keeps the old one when the new one is bad', async () => {
    const t = loaded();
    const before = t.plugin.mailward;
    t.write('policy.yaml', POLICY.replace('198.51.100.0/24', '203.0.113.0/24'));
    await until(() => t.plugin.mailward !== before);
    const call = once(await t.call('hook_connect', t.connection({ ip: '203.0.113.9' })));
    expect(call.code).toBe(codes.deny);

    const good = t.plugin.mailward;
    t.write('policy.yaml', 'version: 1\nconnect: { rules: [ { id: x, when: { nonsense: 1 }, do: [ accept ] } ] }\n');
    await until(() => t.logs.some((l) => l.includes('keeping the previous one')));
    expect(t.plugin.mailward).toBe(good);
  });

  it('says a removed policy file is not there (not that it is empty), and keeps the one in force', async () => {
    const t = loaded();
    const good = t.plugin.mailward;
    fs.rmSync(path.join(t.dir, 'config', 'policy.yaml'));
    await until(() => t.logs.some((l) => l.includes('keeping the previous one')));
    const line = t.logs.find((l) => l.includes('keeping the previous one'))!;
    expect(line).toMatch(/policy\.yaml \(from config\/mailward\.yaml\) cannot be read: it is not there/);
    expect(line).not.toMatch(/empty/);
    expect(t.plugin.mailward).toBe(good);
  });

  it('logs each error of a rejected policy on its own line, and its lint warnings apart (trial 38)', async () => {
    const t = loaded();
    const bad = [
      'version: 1',
      'smtp: { maxRecipients: three }',
      'data:',
      '  rules:',
      '    - id: strip-exe',
      '      when: { part: { filename: "*.exe" } }',
      '      do: [ strip ]',
      '    - id: drop-it',
      '      when: { attachment: x }',
      '      do: [ drop ]',
      '',
    ].join('\n');
    t.write('policy.yaml', bad);
    await until(() => t.logs.some((l) => l.includes('keeping the previous one')));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const rejected = t.logs.filter((l) => l.includes('keeping the previous one'));
    expect(rejected).toEqual([
      expect.stringMatching(/^error +new policy rejected, keeping the previous one: .*policy\.yaml:2:\d+: `maxRecipients` must be a whole number/),
      expect.stringMatching(/^error +new policy rejected, keeping the previous one: .*policy\.yaml:9:\d+: rule `drop-it`: `attachment` is not known/),
    ]);
    expect(rejected.join('\n')).not.toMatch(/warning|no rule looks at/);
    expect(t.logs).toContainEqual(expect.stringMatching(/^warn +policy: .*policy\.yaml:\d+:\d+: rule `strip-exe`: no rule looks at `malformed`/));
  });
});

describe('found in a new-user trial (helper-21)', () => {
  const TRIAL_POLICY = `version: 1
name: trial
smtp: { maxSize: 2KB }
rcpt:
  rules:
    - id: ours
      when: { recipient: "*@acme.example" }
      do: [ { log: "rcpt {recipient}" }, accept ]
    - id: nobody
      when: { recipient: "nobody@*" }
      do: [ { log: "refusing {recipient}" }, { reject: { code: 550, status: 5.1.1, text: "No such user" } } ]
data:
  rules:
    - id: hold-odd
      when: { malformed: true }
      do: [ { quarantine: { reason: odd } } ]
    - id: to-quarantine-box
      when: { header: { name: Subject, value: "forward me" } }
      do: [ { quarantine: { reason: "looks bad", forward: quarantine@acme.example } } ]
`;
  const trial = (): PluginUnderTest => {
    const t = loaded('policy: policy.yaml\nsecret: unit-secret\nquarantine: { dir: held }\n', TRIAL_POLICY);
    return t;
  };

  it('a refusal prints as "550 5.1.1 No such user" in Haraka\'s own log lines, not [object Object]', async () => {
    const t = trial();
    const conn = t.connection({ helo: 'client.example.org' });
    await withMessage(conn, { from: 'penny@example.org', to: [] }, textMessage('x'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Address } = require('@haraka/email-address');
    const address = new Address('<nobody@elsewhere.example>');
    conn.transaction!.rcpt_to.push(address);
    const call = once(await t.call('hook_rcpt', conn, [address, {}]));
    expect(`${call.msg as object}`).toBe('550 5.1.1 No such user');
    // One decision line naming the rule, and the rule's own log action although it rejected.
    expect(t.logs).toEqual(expect.arrayContaining([
      expect.stringMatching(/^notice +decision stage=rcpt recipient=<nobody@elsewhere.example> verdict=reject rule=nobody fired=nobody reply="550 5.1.1 No such user"$/),
      expect.stringMatching(/^info +\[nobody\] refusing nobody@elsewhere.example$/),
    ]));
  });

  it('claims no reply on an accept line: Haraka answers it in its own words, not the policy\'s', async () => {
    const t = trial();
    const conn = t.connection({ helo: 'client.example.org' });
    await withMessage(conn, { from: 'penny@example.org', to: [] }, textMessage('x'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Address } = require('@haraka/email-address');
    const address = new Address('<al@acme.example>');
    conn.transaction!.rcpt_to.push(address);
    const call = once(await t.call('hook_rcpt', conn, [address, {}]));
    expect(call.code).toBe(codes.ok);
    expect(call.msg).toBeUndefined(); // Haraka writes "250 recipient <al@acme.example> OK"
    const line = t.logs.find((l) => l.includes('decision stage=rcpt'))!;
    expect(line).toMatch(/verdict=accept/);
    expect(line).not.toMatch(/reply=/);
  });

  it('advertises the policy maxSize as SIZE and refuses a larger declared SIZE at MAIL', async () => {
    const t = trial();
    const conn = t.connection({ helo: 'client.example.org' });
    conn.capabilities = ['mx Hello', 'PIPELINING', 'SIZE 26214400'];
    once(await t.call('mailward_capabilities', conn));
    expect(conn.capabilities).toEqual(['mx Hello', 'PIPELINING', 'SIZE 2048']);
    await withMessage(conn, { from: 'penny@example.org', to: [] }, textMessage('x'));
    const big = once(await t.call('hook_mail', conn, [conn.transaction!.mail_from, { SIZE: '5000' }]));
    expect(big.code).toBe(codes.deny);
    expect(`${big.msg as object}`).toBe('552 5.3.4 Message size exceeds the limit of 2048 bytes');
    expect(once(await t.call('hook_mail', conn, [conn.transaction!.mail_from, { SIZE: '1000' }])).code).toBe(codes.cont);
  });

  it('quarantine with forward: delivered to the quarantine mailbox only, marked, not held', async () => {
    const t = trial();
    const conn = t.connection({ helo: 'client.example.org' });
    await withMessage(conn, { from: 'penny@example.org', to: ['al@acme.example', 'bo@acme.example'] }, textMessage('forward me'));
    const call = once(await t.call('mailward_data_post', conn));
    expect(call.code).toBe(codes.cont);
    const txn = conn.transaction!;
    expect(txn.rcpt_to.map((r) => r.address)).toEqual(['quarantine@acme.example']);
    expect(txn.notes.quarantine).toBeUndefined();
    expect(await deliveredMessage(conn)).toMatch(/^X-Mailward-Quarantine: looks bad; for al@acme.example, bo@acme.example\r\n/);
    // The queue hook lets the queue plugins deliver it.
    expect(once(await t.call('mailward_queue', conn)).code).toBe(codes.cont);
  });

  it('refuses a NUL or a bare CR as the gateway does (550 5.6.0), before any rule', async () => {
    const t = trial();
    for (const [text, what] of [['nul \0 here', 'a NUL byte'], ['bare \r cr', 'a bare CR']] as const) {
      const conn = t.connection({ helo: 'client.example.org' });
      await withMessage(conn, { from: 'penny@example.org', to: ['al@acme.example'] }, `Subject: x\n\n${text}\n`);
      const call = once(await t.call('mailward_data_post', conn));
      expect(call.code).toBe(codes.deny);
      expect(`${call.msg as object}`).toContain(`550 5.6.0 Message refused: ${what} in DATA`);
    }
    // Its decision line has the size, as every data decision's has (trial H).
    expect(t.logs.filter((l) => l.includes('rule=strict-data'))).toEqual([expect.stringMatching(/decision stage=data bytes=\d+ verdict=reject rule=strict-data/), expect.anything()]);
  });

  it('a line Haraka folded counts as malformed (limits), so a malformed rule holds it as the gateway would', async () => {
    const t = trial();
    const conn = t.connection({ helo: 'client.example.org' });
    await withMessage(conn, { from: 'penny@example.org', to: ['al@acme.example'] }, textMessage('folded'));
    conn.transaction!.notes.data_line_length_exceeded = true;
    expect(once(await t.call('mailward_data_post', conn)).code).toBe(codes.cont);
    expect(sessionNotes(conn.transaction!.notes).verdict).toBe('quarantine');
    expect(t.logs.some((l) => /decision stage=data .*verdict=quarantine rule=hold-odd/.test(l))).toBe(true);
    // The line says what was malformed (trial H: the same line whatever the kind).
    expect(t.logs.some((l) => /decision stage=data bytes=\d+ malformed=limits verdict=quarantine/.test(l))).toBe(true);
  });

  it('logs a fact that could not be had, with why', async () => {
    const policy = `version: 1\nrcpt: { default: accept }\ndata:\n  rules:\n    - id: av\n      when: { virus: true }\n      do: [ { quarantine: { reason: virus } } ]\n`;
    const t = loaded('policy: policy.yaml\n', policy);
    const conn = t.connection({ helo: 'client.example.org' });
    await withMessage(conn, { from: 'penny@example.org', to: ['al@acme.example'] }, textMessage('x'));
    expect(once(await t.call('mailward_data_post', conn)).code).toBe(codes.denysoft);
    expect(t.logs.some((l) => /^warn +data: virus fact failed: .*clamd plugin did not scan/.test(l))).toBe(true);
  });

  it('says which file is missing and why Haraka stops when mailward.yaml is not there', () => {
    const t = new PluginUnderTest({ 'policy.yaml': TRIAL_POLICY });
    current = t;
    expect(() => t.register()).toThrow(/config\/mailward.yaml: not found in /);
    expect(t.logs.some((l) => l.startsWith('crit cannot start: config/mailward.yaml: not found'))).toBe(true);
  });

  it('names a YAML syntax error in mailward.yaml at its line and column, not as `policy` missing', () => {
    const t = new PluginUnderTest({ 'mailward.yaml': 'policy: policy.yaml\nquarantine:\n  dir: /tmp/q\nfactTimeout: [5s\n', 'policy.yaml': TRIAL_POLICY });
    current = t;
    expect(() => t.register()).toThrow(/^config\/mailward\.yaml:\d+:\d+: /);
    const crit = t.logs.filter((l) => l.startsWith('crit cannot start:'));
    expect(crit.length).toBeGreaterThan(0);
    expect(crit.every((l) => /^crit cannot start: config\/mailward\.yaml:\d+:\d+: /.test(l))).toBe(true);
    expect(t.logs.join('\n')).not.toMatch(/`policy` is missing/);
  });

  it('warns at load when the policy quarantines and nothing can keep a quarantined message', () => {
    const t = loaded('policy: policy.yaml\n', TRIAL_POLICY);
    expect(t.logs.some((l) => l.includes('it can quarantine, but neither quarantine.dir'))).toBe(true);
    expect(t.logs.some((l) => l === 'info policy "trial" (4 rules) loaded from ' + path.join(t.dir, 'config', 'policy.yaml'))).toBe(true);
  });
});

describe('reloading the policy keeps the fact providers (helper-21)', () => {
  it('a policy edit keeps greylisting state and connections; a facts edit replaces them', async () => {
    const until = async (check: () => boolean): Promise<void> => {
      while (!check()) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    const t = loaded('policy: policy.yaml\nfacts: { greylist: { delay: 30 } }\n');
    const first = t.plugin.mailward!;
    t.write('policy.yaml', POLICY.replace('198.51.100.0/24', '203.0.113.0/24'));
    await until(() => t.plugin.mailward !== first);
    expect(t.plugin.mailward!.providers).toBe(first.providers);
    const second = t.plugin.mailward!;
    const closed = jest.spyOn(second.providerSet, 'close');
    t.write('mailward.yaml', 'policy: policy.yaml\nfactTimeout: 200ms\nfacts: { greylist: { delay: 60 } }\n');
    await until(() => t.plugin.mailward !== second);
    expect(t.plugin.mailward!.providers).not.toBe(first.providers);
    // The old set is closed once lookups under way have had their time, not at once.
    expect(closed).not.toHaveBeenCalled();
    await until(() => closed.mock.calls.length === 1);
  }, 30_000);
});

describe('an inline policy in mailward.yaml (helper-21)', () => {
  it('names its problems at their line and column in mailward.yaml', () => {
    const yaml = [
      'secret: s',
      '# the policy itself:',
      'policy:',
      '  version: 1',
      '  rcpt:',
      '    rules:',
      '      - id: ours',
      '        when: { recipient: "*@acme.example" }',
      '        do: [ acept ]',
      '',
    ].join('\n');
    const t = new PluginUnderTest({ 'mailward.yaml': yaml });
    current = t;
    expect(() => t.register()).toThrow(/mailward\.yaml:9:15: rule `ours`: `acept`/);
  });

  it('runs a good one', async () => {
    const t = loaded('policy:\n  version: 1\n  connect:\n    rules:\n      - id: no\n        do: [ reject ]\n');
    expect(once(await t.call('hook_connect', t.connection())).code).toBe(codes.deny);
  });

  it('loads one that uses an anchor set elsewhere in mailward.yaml', async () => {
    const t = loaded('facts: { greylist: { clientWhitelist: &ours [192.0.2.0/24] } }\npolicy:\n  version: 1\n  connect:\n    rules:\n      - id: no\n        when: { client: *ours }\n        do: [ reject ]\n');
    expect(once(await t.call('hook_connect', t.connection())).code).toBe(codes.deny);
  });
});

describe('found in a new-user trial (trial 38)', () => {
  it('logs the maxSize refusal at end of DATA as the smtp: controls are logged, not as a decision', async () => {
    const t = loaded('policy: policy.yaml\n', 'version: 1\nsmtp: { maxSize: 1KB }\nrcpt: { default: accept }\ndata: { default: accept }\n');
    const conn = t.connection({ helo: 'client.example.org' });
    await withMessage(conn, { from: 'penny@example.org', to: ['al@acme.example'] }, textMessage('big') + `${'x'.repeat(70)}\n`.repeat(30));
    const call = once(await t.call('mailward_data_post', conn));
    expect(`${call.msg as object}`).toBe('552 5.3.4 Message exceeds the maximum size of 1024 bytes');
    expect(t.logs).toContainEqual(expect.stringMatching(/^notice +refused stage=data by=smtp\.maxSize bytes=\d+ reply="552 5\.3\.4 Message exceeds the maximum size of 1024 bytes"$/));
    expect(t.logs.some((l) => l.includes('decision stage=data'))).toBe(false);
  });

  it('warns of a fact that could not be had only when it decided (onError), not on every message', async () => {
    const policy = [
      'version: 1',
      'rcpt: { default: accept }',
      'data:',
      '  rules:',
      '    - id: known-good',
      '      when: { header: { name: Subject, value: fine } }',
      '      do: [ accept ]',
      '    - id: av-optional',
      '      when: { virus: true }',
      '      onError: skip',
      '      do: [ reject ]',
      '    - id: av',
      '      when: { virus: true }',
      '      do: [ { quarantine: { reason: virus } } ]',
      '',
    ].join('\n');
    const t = loaded('policy: policy.yaml\nquarantine: { dir: held }\n', policy);
    const send = async (subject: string) => {
      const conn = t.connection({ helo: 'client.example.org' });
      await withMessage(conn, { from: 'penny@example.org', to: ['al@acme.example'] }, textMessage(subject));
      return once(await t.call('mailward_data_post', conn)).code;
    };
    const warnings = () => t.logs.filter((l) => /fact failed/.test(l));
    // An earlier terminal rule decided: no clamd is no news.
    expect(await send('fine')).toBe(codes.ok);
    expect(warnings()).toEqual([]);
    // av-optional is skipped without a word; av's onError (tempfail) decides, and is explained.
    expect(await send('x')).toBe(codes.denysoft);
    expect(warnings()).toEqual([expect.stringMatching(/^warn +data: virus fact failed: .*clamd plugin did not scan/)]);
  });
});
