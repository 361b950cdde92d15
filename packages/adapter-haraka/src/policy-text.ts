import { PolicyError, loadPolicy, type PolicyProblem } from '@mailward/core';
import type { CompiledPolicy } from '@mailward/core';

/** Compiles policy text (YAML or JSON) named `file` in errors; throws PolicyError listing every problem. */
export function compilePolicyText(text: string, file: string): CompiledPolicy {
  return loadPolicy(text, file);
}

/**
 * Compiles a policy written inline under `policy:` in mailward.yaml, reporting problems at their
 * line and column in mailward.yaml itself. The block under `policy:` is compiled as the YAML it
 * is (dedented), and each problem moved back by the lines above it and the indent taken off;
 * compiling a re-serialised copy instead named lines of a JSON text nobody wrote. A flow map on
 * the `policy:` line itself (`policy: { version: 1, ... }`) falls back to that copy.
 */
export function compileInlinePolicy(mailwardYaml: string | undefined, parsed: unknown, file: string): CompiledPolicy {
  const block = mailwardYaml === undefined ? undefined : policyBlock(mailwardYaml);
  if (!block) return loadPolicy(JSON.stringify(parsed, null, 2), `${file} (inline policy, as JSON)`);
  try {
    return loadPolicy(block.text, file);
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err;
    // The block may use an anchor set elsewhere in mailward.yaml (under facts:, say), which it
    // cannot resolve alone: the parsed copy has it resolved, and loads if that was all.
    try {
      return loadPolicy(JSON.stringify(parsed, null, 2), `${file} (inline policy, as JSON)`);
    } catch {
      const moved: PolicyProblem[] = err.problems.map((p) => ({ ...p, line: p.line + block.lineOffset, col: p.col + block.indent }));
      throw new PolicyError(moved);
    }
  }
}

/** The lines under a top-level `policy:` key, dedented, with where they start. */
function policyBlock(text: string): { text: string; lineOffset: number; indent: number } | undefined {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^policy:\s*(#.*)?$/.test(l));
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && (/^\s/.test(lines[end]!) || lines[end]!.trim() === '' || lines[end]!.startsWith('#'))) end += 1;
  const body = lines.slice(start + 1, end);
  const indents = body.filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#')).map((l) => l.length - l.trimStart().length);
  if (indents.length === 0) return undefined;
  const indent = Math.min(...indents);
  const dedented = body.map((l) => (l.length - l.trimStart().length >= indent ? l.slice(indent) : l.trimStart()));
  return { text: dedented.join('\n'), lineOffset: start + 1, indent };
}
