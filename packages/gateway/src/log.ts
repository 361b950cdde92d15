export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** One JSON line per event (or a readable line on a terminal), as the firewalls logged. */
export interface GatewayLog {
  event(level: LogLevel, fields: Record<string, unknown>): void;
}

/** A log writing to `out` at `level` and above; readable when `pretty`. */
export function createLog(level: LogLevel, out: (line: string) => void, pretty: boolean, now: () => Date = () => new Date()): GatewayLog {
  return {
    event(l, fields) {
      if (ORDER[l] < ORDER[level]) return;
      const time = now().toISOString();
      if (!pretty) return out(JSON.stringify({ time, level: l, ...fields }) + '\n');
      const { event, ...rest } = fields;
      const detail = Object.entries(rest)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      out(`${time.slice(11, 19)} ${l.toUpperCase().padEnd(5)} ${String(event ?? '')} ${detail}\n`);
    },
  };
}
