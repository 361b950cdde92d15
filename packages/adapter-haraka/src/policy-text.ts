import { loadPolicy } from '@mailward/core';
import type { CompiledPolicy } from '@mailward/core';

/** Compiles policy text (YAML or JSON) named `file` in errors; throws PolicyError listing every problem. */
export function compilePolicyText(text: string, file: string): CompiledPolicy {
  return loadPolicy(text, file);
}
