/** The data decision's `removed` list names each part once, as the rewriter takes it out once. */
import type { Effect } from '@mailward/core';
import { removalsOf } from '../src/session-log';

const bat = { path: '2', carrier: '2', type: 'application/octet-stream', filename: 'run.bat', size: 0 };
const exe = { path: '3', carrier: '3', type: 'application/x-msdownload', filename: 'a.exe', size: 4 };

it('lists a part two rules strip once, with the first rule\'s action', () => {
  const effects: Effect[] = [
    { type: 'stripPart', rule: 'deny-file-names', part: bat, notice: 'n' },
    { type: 'dropPart', rule: 'allow-only-safe-types', part: bat },
    { type: 'stripPart', rule: 'allow-only-safe-types', part: bat, notice: 'n' },
    { type: 'dropPart', rule: 'allow-only-safe-types', part: exe },
  ];
  expect(removalsOf(effects)).toEqual({
    parts: [
      { action: 'strip', path: '2', type: 'application/octet-stream', filename: 'run.bat' },
      { action: 'drop', path: '3', type: 'application/x-msdownload', filename: 'a.exe' },
    ],
  });
});
