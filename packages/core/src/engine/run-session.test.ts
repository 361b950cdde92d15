import { loadPolicy } from '../policy/load';
import { runSession } from './run-session';
import { CLIENT, message, part } from './__fixtures__/model';

const FIREBOX = `version: 1
lists:
  our-domains: [acme.example]
smtp: { maxRecipients: 3 }
connect:
  rules:
    - { id: blocked-client, when: { client: 198.51.100.66 }, do: [ { reject: { code: 554, status: 5.7.1, text: "Go away" } } ] }
rcpt:
  rules:
    - { id: grey, when: { recipient: "grey@acme.example" }, do: [ tempfail ] }
    - { id: ours, when: { recipient: { domain: "@our-domains" } }, do: [ { log: "rcpt {recipient}" }, accept ] }
data:
  rules:
    - { id: bat, when: { part: { filename: "*.bat" } }, do: [ strip ] }
    - { id: big, when: { size: { gt: 1MB } }, do: [ { reject: { code: 552, status: 5.3.4, text: "Too big" } } ] }
`;

const policy = loadPolicy(FIREBOX, 'firebox.yaml');
const session = (over: object = {}) => ({ client: CLIENT, helo: 'mx.example.org', sender: 'a@example.org', recipients: ['bob@acme.example'], message: message(), ...over });

describe('runSession', () => {
  it('accepts mail to our domains and passes it through data', () => {
    const r = runSession(policy, session(), {});
    expect(r).toMatchObject({ verdict: 'accept', stage: 'data', reply: { code: 250, status: '2.0.0' }, fired: ['ours'] });
    expect(r.recipients).toEqual([{ address: 'bob@acme.example', verdict: 'accept', reply: r.reply }]);
    expect(r.decisions.map((d) => d.stage)).toEqual(['connect', 'helo', 'mail', 'rcpt', 'data']);
    expect(r.trace.map((t) => [t.stage, t.recipient])).toEqual([['connect', undefined], ['helo', undefined], ['mail', undefined], ['rcpt', 'bob@acme.example'], ['data', undefined]]);
    expect(r.effects).toEqual([{ type: 'log', rule: 'ours', text: 'rcpt bob@acme.example' }]);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('stops at connect when the client is refused; every recipient shares the refusal', () => {
    const r = runSession(policy, session({ client: { ...CLIENT, ip: '198.51.100.66' }, recipients: ['a@acme.example', 'b@acme.example'] }), {});
    expect(r).toMatchObject({ verdict: 'reject', stage: 'connect', reply: { code: 554, text: 'Go away' }, fired: ['blocked-client'] });
    expect(r.recipients.map((x) => x.verdict)).toEqual(['reject', 'reject']);
    expect(r.decisions).toHaveLength(1);
  });

  it('refuses only the recipient a rcpt reject hits; later ones see the accepted count', () => {
    const r = runSession(policy, session({ recipients: ['bob@acme.example', 'eve@elsewhere.example', 'carol@acme.example'] }), {});
    expect(r.verdict).toBe('accept');
    expect(r.recipients.map((x) => [x.address, x.verdict, x.reply.code])).toEqual([
      ['bob@acme.example', 'accept', 250],
      ['eve@elsewhere.example', 'reject', 550],
      ['carol@acme.example', 'accept', 250],
    ]);
    expect(r.fired).toEqual(['ours']); // each rule once, though it fired for two recipients
    expect(r.decisions.find((d) => d.stage === 'data')!.stage).toBe('data');
  });

  it('enforces smtp.maxRecipients with 452 4.5.3', () => {
    const r = runSession(policy, session({ recipients: ['a@acme.example', 'b@acme.example', 'c@acme.example', 'd@acme.example'] }), {});
    expect(r.recipients[3]).toEqual({ address: 'd@acme.example', verdict: 'reject', reply: { code: 452, status: '4.5.3', text: 'Too many recipients' } });
    // One rcpt decision per recipient, the limit's included.
    expect(r.decisions.filter((d) => d.stage === 'rcpt').map((d) => d.reply.code)).toEqual([250, 250, 250, 452]);
  });

  it('a rcpt rule recipients: { gt: 2 } refuses the third recipient, as maxRecipients: 2 does', () => {
    const limit = loadPolicy('version: 1\nrcpt:\n  rules:\n    - { id: too-many, when: { recipients: { gt: 2 } }, do: [ { reject: { code: 452, status: 4.5.3, text: "Too many" } } ] }\n    - { id: any, do: [accept] }\n', 'rc.yaml');
    const r = runSession(limit, session({ recipients: ['a@x.example', 'b@x.example', 'c@x.example'] }), {});
    expect(r.recipients.map((x) => [x.address, x.reply.code])).toEqual([['a@x.example', 250], ['b@x.example', 250], ['c@x.example', 452]]);
    const max = runSession(loadPolicy('version: 1\nsmtp: { maxRecipients: 2 }\nrcpt:\n  rules:\n    - { id: any, do: [accept] }\n', 'max.yaml'), session({ recipients: ['a@x.example', 'b@x.example', 'c@x.example'] }), {});
    expect(max.recipients.map((x) => x.reply.code)).toEqual([250, 250, 452]);
  });

  it('enforces smtp.maxSize with 552 5.3.4 before the data stage runs, as the adapters do at the end of DATA', () => {
    // Trial D: `mailward test` and `eval` accepted a message over maxSize that the gateway refuses.
    const sized = loadPolicy('version: 1\nsmtp: { maxSize: 100 }\nrcpt:\n  rules:\n    - { id: any, do: [accept] }\ndata:\n  rules:\n    - { id: tag, do: [ { log: "seen" } ] }\n', 'size.yaml');
    const over = runSession(sized, session({ recipients: ['a@x.example', 'b@x.example'], message: { ...message(), size: 101 } }), {});
    expect(over).toMatchObject({ verdict: 'reject', stage: 'data', reply: { code: 552, status: '5.3.4' }, fired: ['any'] });
    expect(over.recipients.map((x) => x.reply.code)).toEqual([552, 552]);
    expect(over.effects.some((e) => e.type === 'log' && e.text === 'seen')).toBe(false);
    expect(runSession(sized, session({ message: { ...message(), size: 100 } }), {})).toMatchObject({ verdict: 'accept', fired: ['any', 'tag'] });
  });

  it('does not run data when no recipient was accepted; tempfail wins over reject', () => {
    const rejected = runSession(policy, session({ recipients: ['x@elsewhere.example'] }), {});
    expect(rejected).toMatchObject({ verdict: 'reject', stage: 'rcpt', reply: { code: 550, text: 'Relaying denied' } });
    expect(rejected.decisions.some((d) => d.stage === 'data')).toBe(false);
    const mixed = runSession(policy, session({ recipients: ['x@elsewhere.example', 'grey@acme.example'] }), {});
    expect(mixed).toMatchObject({ verdict: 'tempfail', stage: 'rcpt', reply: { code: 451 } });
  });

  it('a data reject refuses every accepted recipient, keeping earlier refusals', () => {
    const r = runSession(policy, session({ recipients: ['bob@acme.example', 'x@elsewhere.example'], message: message({ size: 2 * 1024 * 1024 }) }), {});
    expect(r).toMatchObject({ verdict: 'reject', stage: 'data', reply: { code: 552 } });
    expect(r.recipients.map((x) => [x.verdict, x.reply.code])).toEqual([['reject', 552], ['reject', 550]]);
    // Effects of a refused stage are dropped, except its log lines.
    expect(r.effects.every((e) => e.type === 'log')).toBe(true);
  });

  it('strips at data and reports the part', () => {
    const msg = message({ parts: [part({ path: '1', type: 'text/plain' }), part({ path: '2', type: 'application/octet-stream', filename: 'x.bat' })] });
    const r = runSession(policy, session({ message: msg }), {});
    expect(r.effects.filter((e) => e.type === 'stripPart')).toHaveLength(1);
    expect(r.fired).toEqual(['ours', 'bat']);
  });

  it('ends at rcpt when there is no message', () => {
    const r = runSession(policy, session({ message: undefined }), {});
    expect(r).toMatchObject({ verdict: 'accept', stage: 'rcpt', reply: { code: 250, status: '2.1.5' } });
  });

  it('accept at connect does not skip later stages', () => {
    const p = loadPolicy('version: 1\nconnect: { rules: [ { id: friend, when: { client: 203.0.113.9 }, do: [ accept ] } ] }\n', 'p.yaml');
    const r = runSession(p, session(), {});
    expect(r).toMatchObject({ verdict: 'reject', stage: 'rcpt', fired: ['friend'] });
  });

  it('passes the direction on to every stage', () => {
    const p = loadPolicy('version: 1\nrcpt: { rules: [ { id: out, when: { direction: outbound }, do: [ accept ] } ] }\n', 'p.yaml');
    expect(runSession(p, session({ direction: 'outbound', recipients: ['x@anywhere.example'] }), {}).verdict).toBe('accept');
    expect(runSession(p, session({ recipients: ['x@anywhere.example'] }), {}).verdict).toBe('reject');
  });
});
