import { dnsListAnswer, spamFromResults, virusFromResults, withHarakaResults, DNSBL_LISTED } from './haraka-results-facts';
import type { HarakaConnection, HarakaResultEntry } from './haraka-types';

function connectionWith(txn: Record<string, HarakaResultEntry>, conn: Record<string, HarakaResultEntry>): HarakaConnection {
  return {
    results: { get: (n: string) => conn[n] },
    transaction: { results: { get: (n: string) => txn[n] } },
  } as unknown as HarakaConnection;
}

const ctx = { signal: new AbortController().signal };
const source = { size: 0, open: () => { throw new Error('not read'); } };

describe('facts from Haraka plugin results', () => {
  it('reads spamassassin, clamd and dns-list result shapes', () => {
    expect(spamFromResults({ score: 7.5, required: 5, tests: 'GTUBE, BAYES_99' })).toEqual({
      score: 7.5, threshold: 5, symbols: ['GTUBE', 'BAYES_99'],
    });
    expect(spamFromResults({ err: ['timeout'] })).toBeUndefined();
    expect(virusFromResults({ fail: ['Eicar-Signature'] })).toEqual({ names: ['Eicar-Signature'] });
    expect(virusFromResults({ pass: ['clean'] })).toEqual({ names: [] });
    expect(virusFromResults({ err: ['clamd timed out'] })).toBeUndefined();
    expect(dnsListAnswer({ fail: ['zen.example'] }, 'ZEN.example')).toEqual([DNSBL_LISTED]);
    expect(dnsListAnswer({ pass: ['zen.example'] }, 'zen.example')).toEqual([]);
    expect(dnsListAnswer({ pass: ['other'] }, 'zen.example')).toBeUndefined();
  });

  it('reads dns-list\'s pass and fail by the zone type (a DNSWL pass is a listing)', () => {
    expect(dnsListAnswer({ pass: ['list.dnswl.org'] }, 'list.dnswl.org', 'allow')).toEqual([DNSBL_LISTED]);
    expect(dnsListAnswer({ pass: ['other'] }, 'list.dnswl.org', 'allow')).toBeUndefined();
    expect(dnsListAnswer({ pass: ['hk.example'] }, 'hk.example', 'karma')).toEqual(['127.0.0.1']);
    expect(dnsListAnswer({ fail: ['hk.example'] }, 'hk.example', 'karma')).toEqual(['127.0.0.2']);
    expect(dnsListAnswer({ msg: ['hk.example'] }, 'hk.example', 'karma')).toBeUndefined();
  });

  it('answers from the results first and asks our providers only when they have nothing', async () => {
    const asked: string[] = [];
    const providers = withHarakaResults(
      connectionWith({ spamassassin: { score: 12 } }, { 'dns-list': { fail: ['bl.example'] } }),
      {
        virus: async () => { asked.push('virus'); return { names: ['X'] }; },
      },
    );
    await expect(providers.spam!(source, ctx)).resolves.toEqual({ score: 12 });
    await expect(providers.virus!(source, undefined, false, ctx)).resolves.toEqual({ names: ['X'] });
    await expect(providers.dnsbl!('bl.example', '10.0.0.1', ctx)).resolves.toEqual([DNSBL_LISTED]);
    await expect(providers.dnsbl!('other.example', '10.0.0.1', ctx)).rejects.toThrow(/dns-list did not query/);
    // An RHSBL query is about the sender's domain: dns-list's answer about the client is not it.
    await expect(providers.dnsbl!('bl.example', 'spammy.example', ctx)).rejects.toThrow(/dns-list did not query/);
    expect(asked).toEqual(['virus']);
  });

  it('never reports clean when nobody scanned (the engine turns the error into onError)', async () => {
    const providers = withHarakaResults(connectionWith({}, {}), {});
    await expect(providers.virus!(source, undefined, false, ctx)).rejects.toThrow(/no virus verdict/);
    await expect(providers.spam!(source, ctx)).rejects.toThrow(/no spam score/);
  });
});
