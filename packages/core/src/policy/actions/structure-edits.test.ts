import { loadProblems } from '../../../test/support/load-problems';
import { namesStructureFields, picksEveryField } from './structure-edits';

/** "line:col: message" of each problem loading a policy whose data rule `k` does `action`. */
function problemsOf(action: string, extra: string[] = []): string[] {
  const text = ['version: 1', ...extra, 'data:', '  rules:', '    - id: k', `      do: [ ${action} ]`, '    - id: odd', '      when: { malformed: true }', '      do: [ reject ]', ''].join('\n');
  return loadProblems(text);
}

const STRIP_IT = 'to take a part out, strip it (`strip`, or `drop-part`, in a rule with `when: { part: {...} }`), and name only other fields here';

describe('header edits that name the MIME structure fields are load errors (trial r4)', () => {
  it('refuses remove: ["Content-*", "MIME-Version"] at each name, saying to strip the part', () => {
    expect(problemsOf('{ headers: { remove: [X-Mailer, "Content-*", "MIME-Version"] } }')).toEqual([
      `5:45: "Content-*" names MIME structure fields (MIME-Version, Content-*), which header edits leave as they are: without them readers no longer find the parts (one shows the raw boundaries and base64 as text, another still carves out the attachments); ${STRIP_IT}`,
      expect.stringMatching(/^5:58: "MIME-Version" names MIME structure fields/),
    ]);
  });

  it('refuses a rewrite of Content-Transfer-Encoding, which would mislabel the body', () => {
    expect(problemsOf('{ rewrite: { header: Content-Transfer-Encoding, match: "*", to: base64 } }')).toEqual([
      `5:26: "Content-Transfer-Encoding" names MIME structure fields (MIME-Version, Content-*), which header edits leave as they are: a rewritten Content-Type or Content-Transfer-Encoding makes readers decode the body as what it is not; ${STRIP_IT}`,
    ]);
  });

  it('refuses one that comes from a list where the list has it', () => {
    expect(problemsOf('{ headers: { remove: ["@hidden"] } }', ['lists: { hidden: [X-Mailer, Content-Disposition] }'])).toEqual([
      expect.stringMatching(/^2:29: "Content-Disposition" names MIME structure fields/),
    ]);
  });

  it.each(['Content-Type', 'content-disposition', 'MIME-Version', 'Content-Class', 'Content-*', 'Content-T*', 're:^content-', 're:^mime-version$'])('%s names them', (pattern) => {
    expect(namesStructureFields(pattern)).toBe(true);
  });

  it.each(['*', 'C*', 're:.', 're:^c', 'X-*', 'X-Content-Type', 'Received', '{Content-Type,Subject}'])('%s does not (a broad edit leaves them alone at run time)', (pattern) => {
    expect(namesStructureFields(pattern)).toBe(false);
  });

  it('loads broad patterns and the contract\'s examples', () => {
    expect(problemsOf('{ headers: { remove: [Received, X-Mailer, X-Sender, X-Originating-IP, "C*", "re:^x-"] } }')).toEqual([]);
    expect(problemsOf('{ rewrite: { header: "X-Internal-*", match: "*", to: "" } }')).toEqual([]);
    expect(problemsOf('{ rewrite: { header: "*", match: "*@spam.example", to: "" } }')).toEqual([]);
    expect(problemsOf('{ headers: { keep: [From, To, Cc, Subject, Date, Message-ID, MIME-Version, "Content-*", Reply-To] } }')).toEqual([]);
  });
});

describe('header edits that take out every field are load errors, as keep: [] is (trial r4d)', () => {
  it('refuses remove: ["*"] and remove: ["re:."]', () => {
    expect(problemsOf('{ headers: { remove: ["*"] } }')).toEqual([
      '5:35: "*" matches every field, so `remove` would remove From, To, Date, Subject and Message-ID from every message (only MIME-Version and Content-* stay); name the fields to remove, or list the ones to keep (`keep: [From, To, Cc, Subject, Date, Message-ID]`)',
    ]);
    expect(problemsOf('{ headers: { remove: ["re:."] } }')).toEqual([expect.stringMatching(/^5:35: "re:\." matches every field/)]);
  });

  it('refuses a rewrite of every field to nothing', () => {
    expect(problemsOf('{ rewrite: { header: "*", match: "*", to: "" } }')).toEqual([
      '5:26: `header: "*"` with a `match` that takes any value and `to: ""` would remove From, To, Date, Subject and Message-ID from every message (only MIME-Version and Content-* stay); name the fields to remove, or list the ones to keep (`keep: [From, To, Cc, Subject, Date, Message-ID]`)',
    ]);
    expect(problemsOf('{ rewrite: { header: "re:", match: "re:.*", to: "" } }')).toEqual([expect.stringMatching(/^5:26: `header: "re:"` with a `match` that takes any value/)]);
  });

  it('tells every field from some', () => {
    expect(['*', 're:.', '?*'].map(picksEveryField)).toEqual([true, true, true]);
    expect(['X-*', 'C*', 're:^(from|to)$'].map(picksEveryField)).toEqual([false, false, false]);
  });
});
