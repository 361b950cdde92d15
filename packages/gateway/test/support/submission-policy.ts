/** The submission tests' policy: logged-in (outbound) clients may send anywhere, others only to acme.example. */
export const SUBMISSION_POLICY = `
version: 1
smtp: { greetPause: 0, hideKeywords: [AUTH] }
rcpt:
  rules:
    - id: outbound-anywhere
      when: { direction: outbound }
      do: [ accept ]
    - id: ours
      when: { recipient: { domain: acme.example } }
      do: [ accept ]
`;
