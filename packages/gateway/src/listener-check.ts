import type { ListenerConfig } from './config';
import { isHostPort } from './host-port';
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
    if (l.auth && l.direction === 'inbound') {
      problems.push(`${at(['listeners', i])}: /listeners/${i} takes logins (auth) but says direction: inbound, which would make logged-in users inbound too: leave direction out (logged-in users count as outbound, the others as the policy says)`);
    }
  });
  return problems;
}
