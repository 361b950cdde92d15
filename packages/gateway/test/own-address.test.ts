/** The mail loop check sees every spelling of our own address, IPv4-mapped IPv6 included. */
import { literalHops } from '../src/delivery/address-literal';
import { canonicalIp, isOwnAddress } from '../src/delivery/own-address';

const own = [{ host: '127.0.0.1', port: 2525 }];

it.each([
  ['::ffff:127.0.0.1', '127.0.0.1'],
  ['::ffff:7f00:1', '127.0.0.1'],
  ['0:0:0:0:0:FFFF:7F00:0001', '127.0.0.1'],
  ['::ffff:c000:201', '192.0.2.1'],
  ['0:0:0:0:0:0:0:1', '::1'],
  ['2001:DB8:0::1', '2001:db8::1'],
  ['::ffff:0:7f00:1', '::ffff:0:7f00:1'],
  ['192.0.2.1', '192.0.2.1'],
])('spells %s as %s', (ip, canonical) => {
  expect(canonicalIp(ip)).toBe(canonical);
});

it.each(['[IPv6:::ffff:7f00:1]', '[IPv6:0:0:0:0:0:ffff:7f00:1]', '[IPv6:::FFFF:127.0.0.1]', '[127.0.0.1]'])('bounces %s as a loop (5.4.6)', (literal) => {
  expect(literalHops(literal, 2525, (ip, port) => isOwnAddress(ip, port, own))).toEqual({
    failure: expect.objectContaining({ outcome: 'permanent', status: '5.4.6' }),
  });
});

it('delivers a mapped literal of another address to that IPv4 address', () => {
  expect(literalHops('[IPv6:::ffff:c000:201]', 25, (ip, port) => isOwnAddress(ip, port, own))).toEqual({ hops: [{ host: '192.0.2.1', port: 25 }] });
});

it('sees an MX address in the mapped hex form as our IPv4 listener, and an expanded ::1 as loopback on a wildcard one', () => {
  expect(isOwnAddress('::ffff:7f00:1', 2525, own)).toBe(true);
  expect(isOwnAddress('0:0:0:0:0:0:0:1', 25, [{ host: '::', port: 25 }])).toBe(true);
  expect(isOwnAddress('::ffff:7f00:1', 25, own)).toBe(false);
});
