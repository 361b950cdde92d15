import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { BlockList, isIP } from 'node:net';
import { isHostName } from './host-port';

/** `file:line:col` of a path in gateway.yaml. */
type Where = (path: (string | number)[]) => string;

interface Endpoint {
  host?: string;
  port?: number;
  socket?: string;
}

interface FactsSection {
  clamd?: { endpoint?: Endpoint };
  spamd?: { endpoint?: Endpoint };
  dns?: { servers?: string[] };
  greylist?: { clientWhitelist?: string[]; recipientWhitelist?: string[]; redis?: { url?: string; host?: string; port?: number } };
  verify?: { hubs?: { host: string }[] };
}

/** A DNS server as node's resolver takes it: an address, "1.2.3.4:53" or "[::1]:53". */
function isDnsServer(text: string): boolean {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:]+):(\d{1,5})$/.exec(text);
  if (!m) return isIP(text) !== 0;
  const port = Number(m[2]);
  return isIP(m[1]!) === (text.startsWith('[') ? 6 : 4) && port >= 1 && port <= 65535;
}

/** An address or a CIDR with a prefix length that fits it. */
function isNetwork(text: string): boolean {
  const [net = '', bits, extra] = text.split('/');
  const family = isIP(net);
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  const list = new BlockList();
  try {
    list.addSubnet(net, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
    return true;
  } catch {
    return false;
  }
}

/** Why a unix socket path cannot be one, or undefined (a socket not made yet is fine: the scanner may start later). */
function socketProblem(path: string): string | undefined {
  try {
    return statSync(path).isSocket() ? undefined : 'is not a socket';
  } catch {
    try {
      return statSync(dirname(path)).isDirectory() ? undefined : `${dirname(path)} is not a folder`;
    } catch {
      return `the folder ${dirname(path)} does not exist`;
    }
  }
}

/**
 * One problem per clamd/spamd endpoint that is neither host and port nor a socket, by the
 * endpoint's schema path: the schema's words for it ("must have required property 'socket'",
 * "... 'port'", "must match a schema in anyOf") name no fix, and miss the likeliest slip, the
 * port written into `host`.
 */
export function endpointShapeProblems(facts: unknown, at: Where): Map<string, string> {
  const found = new Map<string, string>();
  for (const name of ['clamd', 'spamd'] as const) {
    const endpoint = (facts as FactsSection | undefined)?.[name]?.endpoint;
    if (!endpoint || typeof endpoint !== 'object' || endpoint.socket !== undefined) continue;
    if (endpoint.host !== undefined && endpoint.port !== undefined) continue;
    const host = endpoint.host;
    const withPort = typeof host === 'string' && isIP(host) === 0 ? /^\[?(.+?)\]?:(\d+)$/.exec(host) : null;
    const fix = withPort ? `: "${host}" has the port in it; write host: ${withPort[1]}, port: ${withPort[2]}` : '';
    const path = ['facts', name, 'endpoint'];
    found.set(`/${path.join('/')}`, `${at(path)}: /${path.join('/')} needs host and port (TCP) or socket (a unix socket)${fix}`);
  }
  return found;
}

/** Why a Redis URL cannot be used (node's URL parser refuses it at the first connection otherwise), if it cannot. */
function redisUrlProblem(url: string): string | undefined {
  if (!/^rediss?:\/\/./.test(url)) return 'is not a redis:// or rediss:// URL';
  try {
    new URL(url);
    return undefined;
  } catch {
    return 'is not a URL that can be read (a port is 1 to 65535): write redis://[:password@]host[:port][/db]';
  }
}

/**
 * What the schema cannot say about gateway.yaml's `facts`: a host that is no host name or
 * address ("127.0.0.1:3310" with the port in it), an endpoint with both a socket and a host,
 * DNS servers and whitelisted networks node would refuse at the first lookup (every mail then
 * 451), a Redis URL that is not redis://; with `checkFiles`, a socket whose folder is missing.
 */
export function factsProblems(facts: FactsSection | undefined, at: Where, checkFiles: boolean): string[] {
  if (!facts) return [];
  const problems: string[] = [];
  const say = (path: (string | number)[], text: string): number => problems.push(`${at(path)}: /${path.join('/')}: ${text}`);
  const host = (path: (string | number)[], value: string | undefined): void => {
    if (value !== undefined && isIP(value) === 0 && !isHostName(value)) {
      say(path, `"${value}" is not a host name or an IP address${value.includes(':') ? ' (the port goes in `port`)' : ''}`);
    }
  };
  for (const name of ['clamd', 'spamd'] as const) {
    const endpoint = facts[name]?.endpoint;
    if (!endpoint) continue;
    const path = ['facts', name, 'endpoint'];
    if (endpoint.socket !== undefined && (endpoint.host !== undefined || endpoint.port !== undefined)) {
      say(path, 'give either socket (a unix socket) or host and port, not both');
    }
    host([...path, 'host'], endpoint.host);
    const why = checkFiles && endpoint.socket !== undefined ? socketProblem(endpoint.socket) : undefined;
    if (why) say([...path, 'socket'], `${endpoint.socket}: ${why}`);
  }
  facts.dns?.servers?.forEach((s, i) => {
    if (!isDnsServer(s)) say(['facts', 'dns', 'servers', i], `"${s}" is not a DNS server address: write 10.0.0.53, 10.0.0.53:5353 or [2001:db8::53]:53`);
  });
  facts.greylist?.clientWhitelist?.forEach((c, i) => {
    if (!isNetwork(c)) say(['facts', 'greylist', 'clientWhitelist', i], `"${c}" is not an IP address or a network (192.0.2.0/24, 2001:db8::/32)`);
  });
  // Whole addresses and @domains, compared as they are: a pattern or a bare domain would never match.
  facts.greylist?.recipientWhitelist?.forEach((r, i) => {
    if (!/^[^@\s*?[\]{}]*@[^@\s*?[\]{}]+$/.test(r)) say(['facts', 'greylist', 'recipientWhitelist', i], `"${r}" is not an address (bob@acme.example) or a domain written @acme.example: patterns are not taken here`);
  });
  const redis = facts.greylist?.redis;
  if (redis?.url !== undefined && (redis.host !== undefined || redis.port !== undefined)) say(['facts', 'greylist', 'redis'], 'give either url or host and port, not both');
  const urlProblem = redis?.url === undefined ? undefined : redisUrlProblem(redis.url);
  if (urlProblem) say(['facts', 'greylist', 'redis', 'url'], `"${redis!.url}" ${urlProblem}`);
  host(['facts', 'greylist', 'redis', 'host'], redis?.host);
  facts.verify?.hubs?.forEach((h, i) => host(['facts', 'verify', 'hubs', i, 'host'], h.host));
  return problems;
}
