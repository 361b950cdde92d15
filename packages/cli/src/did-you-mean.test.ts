import { closestWord, unknownOptionHint } from './did-you-mean';
import type { Io } from './io';
import { main } from './main';

/** What `mailward ARGS` prints on stderr, and its exit code, without a child process. */
async function run(...argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const io: Io = { out: () => undefined, err: (t) => void (err += t), tty: false };
  const code = await main(argv, io);
  return { code, err };
}

describe('did you mean', () => {
  it('suggests the command a typo meant', async () => {
    const r = await run('chek', 'policy.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^mailward: unknown command "chek"; did you mean `mailward check`\?\n/);
    expect((await run('frobnicate')).err).toMatch(/^mailward: unknown command "frobnicate"\n/);
  });

  it('suggests the option a typo meant, or lists the options', async () => {
    const r = await run('eval', 'p.yaml', 'm.eml', '--frm', 'a@b.example');
    expect(r.code).toBe(2);
    expect(r.err).toBe('mailward eval: unknown option --frm; did you mean --from?\nRun `mailward eval --help` for its options.\n');
    expect((await run('check', '--frob', 'x.yaml')).err).toMatch(/^mailward check: unknown option --frob; it takes no options\n/);
  });

  it('leaves other parseArgs messages alone and knows when a word is too far off', () => {
    expect(unknownOptionHint("Option '--to <value>' argument missing", '--to ADDR')).toBe("Option '--to <value>' argument missing");
    expect(unknownOptionHint("Unknown option '--zzz'. To specify...", '--from ADDR  --to ADDR')).toBe('unknown option --zzz; its options are --from, --to');
    expect(closestWord('quarantien', ['spool', 'quarantine'])).toBe('quarantine');
    expect(closestWord('xyz', ['check', 'eval'])).toBeUndefined();
  });
});
