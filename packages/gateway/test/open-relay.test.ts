/**
 * A listener with `direction: outbound` makes every client that reaches it outbound: away from
 * loopback that is an open relay (issue #4: outbound only from the hubs or logged-in users).
 * Trial 37 (b11.yaml): `listen: "0.0.0.0:PORT", direction: outbound` started without a word and
 * relayed a message from anyone to victim@far.example.
 */
import { openRelayWarning } from '../src/listener-check';

test.each(['0.0.0.0', '::', '192.0.2.10', '10.0.0.5', '::ffff:10.0.0.5', '2001:db8::25'])('direction: outbound on %s is an open-relay warning naming the listener', (host) => {
  const warning = openRelayWarning({ listen: `${host.includes(':') ? `[${host}]` : host}:2525`, direction: 'outbound' }, { host, port: 2525 });
  expect(warning).toMatchObject({ event: 'open-relay', host, port: 2525 });
  expect(warning!.message).toMatch(/^listener \S+:2525 says direction: outbound, so it is an open relay for every client that can reach it: leave direction out/);
});

test('a login does not close it: the listener\'s direction makes the others outbound too', () => {
  const warning = openRelayWarning({ listen: '0.0.0.0:587', direction: 'outbound', tls: { key: 'k', cert: 'c' }, auth: { passwords: 'p' } }, { host: '0.0.0.0', port: 587 });
  expect(warning!.message).toMatch(/open relay for every client that can reach it, logged in or not/);
});

test.each(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])('loopback %s is local submission: no warning', (host) => {
  expect(openRelayWarning({ listen: 'localhost:2525', direction: 'outbound' }, { host, port: 2525 })).toBeUndefined();
});

test('a listener without direction: outbound gets none (the policy\'s outbound.clients and logins decide)', () => {
  expect(openRelayWarning({ listen: '0.0.0.0:25' }, { host: '0.0.0.0', port: 25 })).toBeUndefined();
  expect(openRelayWarning({ listen: '0.0.0.0:25', direction: 'inbound' }, { host: '0.0.0.0', port: 25 })).toBeUndefined();
});
