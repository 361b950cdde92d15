import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentReference, REFERENCE } from '../scripts/policy-reference';
import { renderReference } from '../scripts/schema-reference';

const root = join(__dirname, '..');

test('the committed policy reference matches the schema (run `npm run docs:reference`)', () => {
  expect(readFileSync(join(root, REFERENCE), 'utf8')).toBe(currentReference(root));
});

test('the renderer gives every key a row and links objects to their own section', () => {
  const text = renderReference(
    {
      type: 'object',
      properties: {
        version: { const: 1, description: 'Language version.' },
        smtp: { type: 'object', description: 'Protocol controls.', properties: { maxSize: { type: 'string', pattern: '^\\d+(KB|MB)$', description: 'Largest message.' } } },
        rules: { type: 'array', items: { $ref: '#/$defs/rule' } },
      },
      required: ['version'],
      $defs: { rule: { type: 'object', properties: { id: { type: 'string', description: 'Unique | id.' } } } },
    },
    'test.json',
  );
  expect(text).toContain('| `version` (required) | `1` | Language version. |');
  expect(text).toContain('| `smtp` | [object](#smtp) | Protocol controls. |');
  expect(text).toContain('## `smtp`');
  expect(text).toContain('| `maxSize` | string (matching `^\\d+(KB\\|MB)$`) | Largest message. |');
  expect(text).toContain('| `rules` | list of [rule](#def-rule) |  |');
  expect(text).toContain('| `id` | string | Unique \\| id. |');
});

test('if/then/else alternatives (a bare name, or a one-key map) are both shown', () => {
  const text = renderReference(
    {
      type: 'object',
      properties: { do: { type: 'array', items: { $ref: '#/definitions/action' } } },
      definitions: {
        action: {
          description: 'An action.',
          if: { type: 'string' },
          then: { enum: ['accept', 'strip'] },
          else: { type: 'object', properties: { log: { type: 'string', description: 'Write a log line.' } } },
        },
      },
    },
    'test.json',
  );
  expect(text).toContain('| `do` | list of [action](#def-action) |');
  expect(text).toContain('Written as `accept`, `strip`, or as a map:');
  expect(text).toContain('| `log` | string | Write a log line. |');
});
