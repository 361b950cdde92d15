import { factBudgetMs } from '../src/fact-budget';

const endpoint = { host: '127.0.0.1', port: 3310 };

it("gives each lookup twice the longest scanner's idle timeout and a second, and never under 20 s", () => {
  expect(factBudgetMs(undefined)).toBe(20_000);
  expect(factBudgetMs({ clamd: { endpoint } })).toBe(61_000); // clamd's 30 s default
  expect(factBudgetMs({ clamd: { endpoint, timeoutMs: 5000 } })).toBe(20_000);
  expect(factBudgetMs({ clamd: { endpoint, timeoutMs: 5000 }, spamd: { endpoint, timeoutMs: 45_000 } })).toBe(91_000);
});
