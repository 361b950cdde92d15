/**
 * Writes docs/policy-reference.md from packages/core/policy.schema.json
 * (`npm run docs:reference`). docs/policy-reference.test.ts fails when the two disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReference } from './schema-reference';

/** Where the schema and the reference live, from the repository root. */
export const SCHEMA = 'packages/core/policy.schema.json';
export const REFERENCE = 'docs/policy-reference.md';

/** The reference as it should read for the schema now in the repository. */
export function currentReference(root: string): string {
  return renderReference(JSON.parse(readFileSync(join(root, SCHEMA), 'utf8')), SCHEMA);
}

if (require.main === module) {
  const root = join(__dirname, '..');
  writeFileSync(join(root, REFERENCE), currentReference(root));
  process.stdout.write(`wrote ${REFERENCE}\n`);
}
