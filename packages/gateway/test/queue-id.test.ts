import { newQueueId } from '../src/spool/queue-id';

describe('newQueueId', () => {
  it('is the time in base 36 and 10 hex digits, upper case, unique over more than one batch of randomness', () => {
    const at = Date.UTC(2026, 11, 1);
    const ids = Array.from({ length: 1000 }, () => newQueueId(at));
    for (const id of ids) expect(id).toMatch(new RegExp(`^${at.toString(36).toUpperCase()}[0-9A-F]{10}$`));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sorts by time', () => {
    expect(newQueueId(Date.UTC(2026, 0, 1)) < newQueueId(Date.UTC(2026, 0, 1, 0, 0, 0, 1))).toBe(true);
  });
});
