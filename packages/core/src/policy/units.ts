/**
 * Sizes and durations as policies write them. Sizes are 1024-based (1 KB = 1024 bytes), as mail
 * systems of the firewall era counted them (FireWall-1's "1000 KB").
 */

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, k: 1024, mb: 1024 ** 2, m: 1024 ** 2, gb: 1024 ** 3, g: 1024 ** 3 };
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Bytes for `10MB`, `1000KB`, `512`; undefined when the text is not a size. */
export function parseSize(value: number | string): number | undefined {
  return parseWithUnits(value, SIZE_UNITS);
}

/** Milliseconds for `100ms`, `600s`, `10m`, `1h`, `1d` (a bare number is ms); undefined when not a duration. */
export function parseDuration(value: number | string): number | undefined {
  return parseWithUnits(value, DURATION_UNITS);
}

function parseWithUnits(value: number | string, units: Record<string, number>): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  if (!m) return undefined;
  const unit = m[2]!.toLowerCase();
  const factor = unit === '' ? 1 : units[unit];
  if (factor === undefined) return undefined;
  return Math.round(Number(m[1]) * factor);
}
