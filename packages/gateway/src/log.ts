export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** One JSON line per event (or a readable line on a terminal), as the firewalls logged. */
export interface GatewayLog {
  event(level: LogLevel, fields: Record<string, unknown>): void;
}

const isScalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/**
 * `key=value` pairs for a terminal: a list of words as `a,b,c`, an object one level deep as
 * `key.sub=value`, nothing for what is absent or empty; the rest as JSON.
 */
function readable(fields: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(fields).flatMap(([k, v]): string[] => {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) return [];
    if (typeof v === 'string') return [`${prefix}${k}=${v}`];
    if (Array.isArray(v) && v.every(isScalar)) return [`${prefix}${k}=${v.join(',')}`];
    if (!prefix && v && typeof v === 'object' && !Array.isArray(v)) return readable(v as Record<string, unknown>, `${k}.`);
    return [`${prefix}${k}=${JSON.stringify(v)}`];
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
