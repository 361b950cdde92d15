/** Numeric bounds `{ gt, gte, lt, lte, eq }`, all of which must hold. */
export interface Bounds {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
}

/** True when `value` satisfies every bound given. */
export function withinBounds(value: number, b: Bounds): boolean {
  return (
    (b.gt === undefined || value > b.gt) &&
    (b.gte === undefined || value >= b.gte) &&
    (b.lt === undefined || value < b.lt) &&
    (b.lte === undefined || value <= b.lte) &&
    (b.eq === undefined || value === b.eq)
  );
}

/** The bounds as written for traces: "gte 5", "gt 1024000 lte 2048000". */
export function describeBounds(b: Bounds): string {
  return (Object.keys(b) as (keyof Bounds)[])
    .filter((k) => b[k] !== undefined)
    .map((k) => `${k} ${b[k]}`)
    .join(' ');
}
