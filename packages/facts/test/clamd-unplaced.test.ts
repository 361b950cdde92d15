/**
 * A virus clamd finds in the whole message but in no part scanned alone (EICAR uuencoded in a
 * text body, or in the MIME preamble) must not let a per-part strip rule read every part as
 * clean and deliver the message: the per-part fact fails, and the rule's onError decides.
 */
import { createServer, type Server } from 'node:net';
import { Readable } from 'node:stream';
import { analyze, evaluate, gatherFacts, loadPolicy, type FactProviders, type StageInput } from '@mailward/core';
import { clamdProvider } from '../src/clamd/clamd-provider';
import { available, EICAR, startClamd, type Service } from './services';

const STRIP = `version: 1
data:
  rules:
    - id: virus-part
      when: { part: { virus: true } }
      do: [ strip ]
`;
const WHOLE_FIRST = `version: 1
data:
  rules:
    - id: virus
      when: { virus: true }
      do: [ { reject: { code: 550, text: infected } } ]
    - id: virus-part
      when: { part: { virus: true } }
      do: [ strip ]
`;

const head = ['From: a@example.org', 'To: bob@acme.example', 'Subject: t', 'MIME-Version: 1.0'];
/** EICAR uuencoded in a text/plain body: clamd decodes uuencode in a whole mail, not in a part's body. */
const UU = [...head, 'Content-Type: text/plain', '', 'the file:', '',
  'begin 644 eicar.com', 'M6#5/(5 E0$%06S1<4%I8-30H4%XI-T-#*3=])$5)0T%2+5-404Y$05)$+4%.', '85$E625)54RU415-4+49)3$4A)$@K2"H*', '`', 'end', ''].join('\r\n');
/** EICAR in the preamble, before the first delimiter: in no part at all. */
const preamble = (payload: string): string => [...head, 'Content-Type: multipart/mixed; boundary=BB', '', payload,
  '--BB', 'Content-Type: text/plain', '', 'hello', '--BB--', ''].join('\r\n');

async function decide(policyText: string, providers: FactProviders, eml: string) {
  const policy = loadPolicy(policyText, 'policy.yaml');
  const raw = Buffer.from(eml);
  const model = await analyze(Readable.from([raw]));
  const input: StageInput = { client: { ip: '198.51.100.200', tls: false, authenticated: false }, sender: 'a@example.org', recipients: ['bob@acme.example'], message: model };
  const facts = await gatherFacts(policy, 'data', input, providers, { timeoutMs: 20_000, model, message: { size: raw.length, open: () => Readable.from([raw]) } });
  return { decision: evaluate(policy, 'data', input, facts), facts };
}

const maybe = available('clamd') ? describe : describe.skip;

maybe('clamd (real): a virus in the message that no part holds', () => {
  let clamd: Service;
  beforeAll(async () => {
    clamd = await startClamd();
  }, 90_000);
  afterAll(() => clamd?.stop());
  const providers = (): FactProviders => clamdProvider({ endpoint: { host: '127.0.0.1', port: clamd.port }, timeoutMs: 20_000 });

  it.each([['uuencoded in a text body', UU], ['in the MIME preamble', preamble(EICAR)]])('%s: a per-part strip rule tempfails, never delivers', async (_what, eml) => {
    const { decision, facts } = await decide(STRIP, providers(), eml);
    expect(facts.virus).toMatchObject({ names: ['Mailward.Test.EICAR.UNOFFICIAL'] });
    expect(decision.verdict).toBe('tempfail');
    expect(JSON.stringify(decision.trace)).toContain('found Mailward.Test.EICAR.UNOFFICIAL in the message but in none of its parts scanned alone');
  });

  it('a whole-message virus rule before the strip rule rejects it', async () => {
    const { decision } = await decide(WHOLE_FIRST, providers(), UU);
    expect(decision.verdict).toBe('reject');
    expect(decision.fired).toEqual(['virus']);
  });
});

describe('a stand-in scanner: a virus in the message that no part holds', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    // INSTREAM: FOUND for a stream containing "EVIL", answered at the zero-length chunk.
    server = createServer((socket) => {
      let data = Buffer.alloc(0);
      socket.on('data', (c: Buffer) => {
        data = Buffer.concat([data, c]);
        if (data.length >= 14 && data.subarray(-4).readUInt32BE(0) === 0) socket.end(data.includes('EVIL') ? 'stream: Fake.Evil FOUND\0' : 'stream: OK\0');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('fails the per-part fact (onError: tempfail) instead of reading every part as clean', async () => {
    const { decision, facts } = await decide(STRIP, clamdProvider({ endpoint: { host: '127.0.0.1', port } }), preamble('EVIL'));
    expect(facts.virus).toEqual({ names: ['Fake.Evil'], parts: { '1': [] } });
    expect(decision.verdict).toBe('tempfail');
    expect(decision.fired).toEqual([]);
  });

  it('still strips a part whose own scan found it', async () => {
    const eml = [...head, 'Content-Type: multipart/mixed; boundary=BB', '', '--BB', 'Content-Type: text/plain', '', 'EVIL', '--BB--', ''].join('\r\n');
    const { decision } = await decide(STRIP, clamdProvider({ endpoint: { host: '127.0.0.1', port } }), eml);
    expect(decision.fired).toEqual(['virus-part']);
  });
});
