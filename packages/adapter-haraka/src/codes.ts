import type { HarakaCodes } from './haraka-types';

// haraka-constants ships no types; this is the one place it is loaded (never the DENY globals
// Haraka also injects: they exist only inside Haraka's sandbox, not in tests or other hosts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const codes: HarakaCodes = require('haraka-constants') as HarakaCodes;
