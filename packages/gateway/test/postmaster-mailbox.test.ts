import { loadPolicy } from '@mailward/core';
import { postmasterMailbox } from '../src/postmaster-mailbox';

const policy = (lists: string): ReturnType<typeof loadPolicy> => loadPolicy(`version: 1\nlists: ${lists}\nrcpt: { default: accept }\n`, 'p.yaml');

it('is gateway.yaml postmaster, else postmaster at domain, else at the first plain name of our-domains', () => {
  const ours = policy('{ our-domains: ["*.corp.example", "re:^x$", acme.example, other.example] }');
  expect(postmasterMailbox({ postmaster: 'hostmaster@acme.example', domain: 'd.example' }, ours)).toBe('hostmaster@acme.example');
  expect(postmasterMailbox({ domain: 'd.example' }, ours)).toBe('postmaster@d.example');
  expect(postmasterMailbox({}, ours)).toBe('postmaster@acme.example');
  expect(postmasterMailbox({}, policy('{ our-domains: ["*"] }'))).toBeUndefined();
  expect(postmasterMailbox({}, policy('{ others: [acme.example] }'))).toBeUndefined();
});
