import { loadPolicy } from '../load';
import { PolicyError } from '../policy-error';
import { addressProblem, hopProblem } from './envelope-targets';

describe('addresses mail is sent to, and route hops', () => {
  it('takes whole addresses, not patterns or bare names', () => {
    expect(addressProblem('archive@acme.example')).toBeUndefined();
    expect(addressProblem('postmaster@[192.0.2.1]')).toBeUndefined();
    expect(addressProblem('*@acme.example')).toMatch(/is a pattern, and mail is sent to an address/);
    expect(addressProblem('bob')).toMatch(/is not an address; write the whole address/);
    expect(addressProblem('bob @acme.example')).toMatch(/is not an address/);
    expect(addressProblem('bob@acme..example')).toMatch(/"acme\.\.example" is not a domain/);
    // An internationalized domain is one (its A-label is what is sent to), as a UTF-8 local part is.
    expect(addressProblem('archiv@bücher.example')).toBeUndefined();
    expect(addressProblem('jö@acme.example')).toBeUndefined();
  });

  it('takes host names and IPs with an optional port, not CIDRs, globs or bare IPv6', () => {
    for (const ok of ['hub', 'mx.acme.example', '10.0.0.10', '10.0.0.10:2525', '[2001:db8::1]', '[2001:db8::1]:25']) expect(hopProblem(ok)).toBeUndefined();
    expect(hopProblem('2001:db8::1')).toBe('"2001:db8::1" needs brackets, or its colons read as a port: write [2001:db8::1]');
    expect(hopProblem('10.0.0.0/24')).toMatch(/is a CIDR; route delivers to hosts/);
    expect(hopProblem('*.acme.example')).toMatch(/is a pattern/);
    expect(hopProblem('mx .acme.example')).toMatch(/is not a host/);
    expect(hopProblem('hub:99999')).toMatch(/has port 99999; use 1-65535/);
  });

  it('are checked where a policy uses them, lists included', () => {
    const text = [
      'version: 1', 'lists: { hubs: [10.0.0.10, 10.0.1.0/24] }',
      'mail: { rules: [ { id: b, do: [ { bcc: "*@acme.example" } ] } ] }',
      'rcpt: { rules: [ { id: r, do: [ { route: { via: ["@hubs"] } }, accept ] } ] }',
      'data: { rules: [ { id: q, do: [ { quarantine: { notify: [postmaster], forward: "q box@acme.example" } } ] } ] }',
    ].join('\n');
    try {
      loadPolicy(text, 'policy.yaml');
      throw new Error('loaded');
    } catch (err) {
      expect((err as PolicyError).problems.map((p) => `${p.line}:${p.col} ${p.rule}`)).toEqual(['2:28 r', '3:35 b', '5:58 q', '5:71 q']);
    }
  });
});
