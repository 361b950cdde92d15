import type { ListenerConfig } from './config';

type Where = (path: (string | number)[]) => string;

/**
 * What gateway.yaml's schema cannot say about listeners, found before anything is bound: a
 * `listen` that is not host:port with a usable port, and TLS missing where a listener takes
 * logins (there is no cleartext AUTH) or is `secure`.
 */
export function listenerProblems(listeners: readonly ListenerConfig[], at: Where): string[] {
  const problems: string[] = [];
  listeners.forEach((l, i) => {
    const port = /^(?:\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(l.listen)?.[1];
    if (port === undefined || Number(port) > 65535) {
      problems.push(`${at(['listeners', i, 'listen'])}: /listeners/${i}/listen: "${l.listen}" is not host:port with a port from 0 to 65535, e.g. "0.0.0.0:25"`);
    }
    if (l.auth && !l.tls) problems.push(`${at(['listeners', i])}: /listeners/${i} takes logins (auth) but has no tls: give it tls: { key, cert } (passwords never travel in clear)`);
    if (l.secure && !l.tls) problems.push(`${at(['listeners', i])}: /listeners/${i} is secure but has no tls: give it tls: { key, cert }`);
  });
  return problems;
}
