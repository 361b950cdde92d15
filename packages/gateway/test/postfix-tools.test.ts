import { postfixTools, runSmtpSource, startSmtpSink, type SmtpSink } from './support/postfix-tools';

// The load tools every gateway test and the benchmark rely on: prove they run here.
describe('postfix load tools', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    postfixTools();
    sink = await startSmtpSink();
  });
  afterAll(() => sink.stop());

  test('smtp-source delivers every message to smtp-sink over two sessions', async () => {
    const result = await runSmtpSource(['-s', '2', '-m', '12', '-l', '2000', '-f', 'penny@example.org', '-t', 'al@acme.example'], sink.port);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The sink prints its counters as it goes; wait for the last one.
    for (let i = 0; i < 100 && sink.messages() < 12; i++) await new Promise((r) => setTimeout(r, 20));
    expect(sink.messages()).toBe(12);
  });

  test('smtp-source reports a refused connection as a failure', async () => {
    const stopped = await startSmtpSink();
    await stopped.stop();
    const result = await runSmtpSource(['-m', '1', '-t', 'al@acme.example'], stopped.port);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/connect/i);
  });
});
