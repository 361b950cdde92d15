import { refusal, type DSN } from './reply';

/**
 * The policy's `smtp.maxSize` in the SMTP dialogue, as the gateway applies it: advertised in
 * the EHLO reply (RFC 1870 `SIZE n`, the smaller of Haraka's own limit and the policy's), a
 * `MAIL FROM ... SIZE=n` over it refused before any data is sent, and the same words at end of
 * DATA. Without these a client was told Haraka's 25 MB limit, sent a 20 MB message whole, and
 * was refused only after it.
 */
export function withPolicySize(capabilities: string[], maxSize: number | undefined): string[] {
  if (typeof maxSize !== 'number' || maxSize <= 0) return capabilities;
  return capabilities.map((line) => {
    const m = /^SIZE(?:\s+(\d+))?\s*$/i.exec(line.trim());
    if (!m) return line;
    const harakas = m[1] === undefined ? 0 : Number(m[1]);
    return `SIZE ${harakas > 0 ? Math.min(harakas, maxSize) : maxSize}`;
  });
}

/** 552 5.3.4 for a declared SIZE over the policy's maxSize, or undefined. */
export function declaredSizeRefusal(params: Record<string, unknown> | undefined, maxSize: number | undefined): DSN | undefined {
  if (typeof maxSize !== 'number' || maxSize <= 0 || !params) return undefined;
  const key = Object.keys(params).find((k) => k.toUpperCase() === 'SIZE');
  if (key === undefined) return undefined;
  const declared = Number(params[key]);
  if (!Number.isFinite(declared) || declared <= maxSize) return undefined;
  return refusal(552, '5.3.4', `Message size exceeds the limit of ${maxSize} bytes`);
}

/** The refusal at end of DATA for a message over the policy's maxSize. */
export function dataSizeRefusal(maxSize: number): DSN {
  return refusal(552, '5.3.4', `Message exceeds the maximum size of ${maxSize} bytes`);
}
