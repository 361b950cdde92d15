import { ipMatcher, IpPatternError, normalizeIp } from './cidr';

describe('ipMatcher', () => {
  it('matches single addresses and CIDRs', () => {
    expect(ipMatcher('10.0.0.10').test('10.0.0.10')).toBe(true);
    expect(ipMatcher('10.0.0.10').test('10.0.0.100')).toBe(false);
    expect(ipMatcher('10.0.1.0/24').test('10.0.1.77')).toBe(true);
    expect(ipMatcher('10.0.1.0/24').test('10.0.2.1')).toBe(false);
    expect(ipMatcher('2001:db8::/32').test('2001:db8:1::5')).toBe(true);
    expect(ipMatcher('2001:db8::/32').test('10.0.0.1')).toBe(false);
  });
  it('matches IPv4-mapped IPv6 clients against IPv4 patterns', () => {
    expect(ipMatcher('192.0.2.0/28').test('::ffff:192.0.2.5')).toBe(true);
    expect(normalizeIp('::FFFF:192.0.2.5')).toBe('192.0.2.5');
  });
  it('falls back to a glob for non-address patterns', () => {
    expect(ipMatcher('192.0.2.*').test('192.0.2.200')).toBe(true);
  });
  it('rejects bad CIDRs', () => {
    expect(() => ipMatcher('10.0.0.0/33')).toThrow(IpPatternError);
    expect(() => ipMatcher('mailhub/24')).toThrow(IpPatternError);
  });
  it('rejects text without a wildcard that is no address, which could never match', () => {
    expect(() => ipMatcher('127.0.0.256')).toThrow(/"127\.0\.0\.256" is not an IP address; write a whole address/);
    expect(() => ipMatcher('10.0.0')).toThrow(IpPatternError);
    expect(() => ipMatcher('mailhub')).toThrow(IpPatternError);
    expect(ipMatcher('re:^10\\.').test('10.1.2.3')).toBe(true);
  });
  it('never matches garbage input', () => {
    expect(ipMatcher('10.0.0.0/8').test('not-an-ip')).toBe(false);
  });
});
