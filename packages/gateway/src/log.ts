export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** One JSON line per event (or a readable line on a terminal), as the firewalls logged. */
export interface GatewayLog {
  event(level: LogLevel, fields: Record<string, unknown>): void;
}

const isScalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value as logfmt writes it: bare when nothing in it could end it early, else in double quotes with `\"` and `\\`. */
function value(text: string): string {
  return /^[^\s="\\\p{Cc}]+$/u.test(text) ? text : JSON.stringify(text);
}

/** A word of a list or of an object in a list: quoted when it holds what separates them. */
function word(v: unknown, separators: RegExp): string {
  if (typeof v !== 'string') return JSON.stringify(v) ?? '';
  return v !== '' && !separators.test(v) && !/["\\\p{Cc}]/u.test(v) ? v : JSON.stringify(v);
}

/** An object in a list, as `key:value` words: `action:strip path:2 type:application/x-msdos-program`. */
const compact = (o: Record<string, unknown>): string =>
  Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}:${word(v, /[\s,:]/)}`).join(' ');

/**
 * `key=value` pairs for a terminal, split the way logfmt splits them: a list of words as
 * `a,b,c`, a list of objects as `k:v k:v, k:v k:v`, an object one level deep as `key.sub=value`,
 * nothing for what is absent or empty, the rest as JSON; a value with a space, `=` or a quote in
 * it is written in double quotes.
 */
function readable(fields: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(fields).flatMap(([k, v]): string[] => {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) return [];
    const key = `${prefix}${k}`;
    if (typeof v === 'string') return [`${key}=${value(v)}`];
    if (Array.isArray(v) && v.every(isScalar)) return [`${key}=${value(v.map((x) => word(x, /,/)).join(','))}`];
    if (Array.isArray(v) && v.every(isRecord)) return [`${key}=${value(v.map(compact).join(', '))}`];
    if (!prefix && isRecord(v)) return readable(v, `${k}.`);
    return [`${key}=${value(JSON.stringify(v))}`];
  });
}

/** A log writing to `out` at `level` and above; readable when `pretty`. */
export function createLog(level: LogLevel, out: (line: string) => void, pretty: boolean, now: () => Date = () => new Date()): GatewayLog {
  return {
    event(l, fields) {
      if (ORDER[l] < ORDER[level]) return;
      const time = now().toISOString();
      if (!pretty) return out(JSON.stringify({ time, level: l, ...fields }) + '\n');
      const { event, ...rest } = fields;
      const detail = readable(rest).join(' ');
      out(`${time.slice(11, 19)} ${l.toUpperCase().padEnd(5)} ${String(event ?? '')} ${detail}\n`);
    },
  };
}
