import { isIP } from 'node:net';
import type { ListenerConfig } from './config';
import { isHostPort, splitHostPort } from './host-port';
import { inheritedFormProblem, isInheritedListen } from './inherited-socket';

type Where = (path: (string | number)[]) => string;

/** A `listen` (a listener's, the admin's) that is not host:port with a port from 0 to 65535. */
export function listenProblem(listen: string, path: (string | number)[], at: Where): string | undefined {
  if (isHostPort(listen, { minPort: 0 })) return undefined;
  const passed = path[0] === 'listeners' ? ', or fd:N / systemd:NAME for a socket passed by systemd' : '';
  return `${at(path)}: /${path.join('/')}: "${listen}" is not host:port with a port from 0 to 65535, e.g. "0.0.0.0:25"${passed}`;
}

/**
 * What gateway.yaml's schema cannot say about listeners, found before anything is bound: a
 * `listen` that is not host:port with a usable port (nor an inherited socket, fd:N or systemd:NAME), TLS missing where a listener takes
 * logins (there is no cleartext AUTH) or is `secure`, and a login listener that calls itself
 * inbound (the host's direction wins over the login, and logged-in users must count as outbound).
 */
export function listenerProblems(listeners: readonly ListenerConfig[], at: Where): string[] {
  const problems: string[] = [];
  listeners.forEach((l, i) => {
    const inherited = isInheritedListen(l.listen);
    const bad = inherited ? inheritedFormProblem(l.listen) : listenProblem(l.listen, ['listeners', i, 'listen'], at);
    if (bad) problems.push(inherited ? `${at(['listeners', i, 'listen'])}: /listeners/${i}/listen: ${bad}` : bad);
    if (l.auth && !l.tls) problems.push(`${at(['listeners', i])}: /listeners/${i} takes logins (auth) but has no tls: give it tls: { key, cert } (passwords never travel in clear)`);
    if (l.secure && !l.tls) problems.push(`${at(['listeners', i])}: /listeners/${i} is secure but has no tls: give it tls: { key, cert }`);
    // (an entry the schema refused is a hole here)
    const twin = listeners.findIndex((o, j) => j < i && o !== undefined && sameAddress(o.listen, l.listen));
    const handedTwice = inherited && listeners.findIndex((o, j) => j < i && o !== undefined && o.listen === l.listen);
    if (handedTwice !== false && handedTwice >= 0) problems.push(`${at(['listeners', i, 'listen'])}: /listeners/${i}/listen: "${l.listen}" is also listeners/${handedTwice}'s socket: each inherited socket serves one listener; remove one`);
    if (twin >= 0) problems.push(`${at(['listeners', i, 'listen'])}: /listeners/${i}/listen: "${l.listen}" is also listeners/${twin}'s address ("${listeners[twin]!.listen}"): one socket cannot be bound twice; give this listener another port, or remove it`);
    if (l.auth && l.direction === 'inbound') {
      problems.push(`${at(['listeners', i])}: /listeners/${i} takes logins (auth) but says direction: inbound, which would make logged-in users inbound too: leave direction out (logged-in users count as outbound, the others as the policy says)`);
    }
  });
  return problems;
}

/** Host (lower case, no brackets) and port of a listen; undefined for an inherited socket or port 0 (any free port). */
function boundAt(listen: string): { host: string; port: number } | undefined {
  if (typeof listen !== 'string' || isInheritedListen(listen)) return undefined; // (the schema reports a listen that is no string)
  const parts = splitHostPort(listen);
  if (!parts?.port) return undefined;
  return { host: parts.host.toLowerCase(), port: parts.port };
}

/** Whether a socket bound to `wild` takes `host`'s port too: `::` every address (dual stack), `0.0.0.0` the IPv4 ones. */
const covers = (wild: string, host: string): boolean => wild === '::' || (wild === '0.0.0.0' && isIP(host) === 4);

/** Two listens that would take the same socket: one port, and one host or a wildcard covering the other. */
function sameAddress(a: string, b: string): boolean {
  const x = boundAt(a);
  const y = boundAt(b);
  return x !== undefined && y !== undefined && x.port === y.port && (x.host === y.host || covers(x.host, y.host) || covers(y.host, x.host));
}

// 127.0.0.0/8, ::1 and 127.x as an IPv4-mapped address: only this machine can connect.
const isLoopback = (address: string): boolean => /^(?:::ffff:)?127\./i.test(address) || address === '::1';

/**
 * The `warn` event for a listener that says `direction: outbound` where others than this machine
 * can connect: every client that reaches it may relay to any domain (a login does not change
 * that, the listener's direction wins), so only a firewall stands between it and an open relay.
 * `bound` is the address it listens on (an inherited socket's too). Undefined on loopback (local
 * submission) and for every other listener.
 */
export function openRelayWarning(listener: ListenerConfig, bound: { host: string; port: number }): Record<string, unknown> | undefined {
  if (listener.direction !== 'outbound' || isLoopback(bound.host)) return undefined;
  return {
    event: 'open-relay', listen: listener.listen, host: bound.host, port: bound.port,
    message: `listener ${listener.listen} says direction: outbound, so it is an open relay for every client that can reach it${listener.auth ? ', logged in or not' : ''}: leave direction out and name the hubs in the policy's outbound.clients (logged-in users count as outbound), or listen on loopback`,
  };
}
