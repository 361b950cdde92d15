import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFactsFile } from './facts-file';

const dir = mkdtempSync(join(tmpdir(), 'mw-facts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('loadFactsFile', () => {
  it('reads the shape of a case\'s facts', () => {
    expect(loadFactsFile(write('ok.yaml', 'spam: { score: 6.3 }\ngreylist: pending\n'))).toEqual({ spam: { score: 6.3 }, greylist: 'pending' });
  });

  it('names file:line:col for each problem, as for a policy', () => {
    const file = write('typo.yaml', 'spam:\n  score: 3\n  scroe: 12\n');
    expect(() => loadFactsFile(file)).toThrow(`${file} is not a facts fixture:\n  ${file}:3:3: unknown key \`scroe\` in \`spam\`; did you mean \`score\`?`);
    const top = write('f-typo.yaml', 'spma: {score: 3}\n');
    expect(() => loadFactsFile(top)).toThrow(`${top}:1:1: unknown key \`spma\` at the top level; did you mean \`spam\`?`);
    const broken = write('broken.yaml', 'spam: [\n');
    expect(() => loadFactsFile(broken)).toThrow(new RegExp(`^cannot read facts ${broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:1:7: .*the \\[ here is never closed`));
  });
});
