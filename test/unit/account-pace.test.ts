// What Accounts says when an account polls slower than its normal pace because of its limit.
import { describe, expect, it } from 'vitest';
import { describePace } from '../../renderer/src/views/account-fields.js';

const NOW = Date.UTC(2026, 10, 21, 9, 0, 0);

describe('the pace line in Accounts', () => {
  it('names each slowed list with its pace and its normal one', () => {
    expect(describePace({ slowed: [{ list: 'calls', everyMs: 4_520, normalMs: 3_000 }, { list: 'details', everyMs: 6_000, normalMs: 4_000 }], heldUntil: null }, NOW)).toBe(
      'Polling slower because of its limit: calls every 4.5 s instead of 3 s; call details every 6 s instead of 4 s',
    );
  });

  it('says how long the vendor holds the account’s requests, and nothing once the hold has passed', () => {
    expect(describePace({ slowed: [], heldUntil: NOW + 12_300 }, NOW)).toBe("Polling slower because of its limit: held by the vendor's rate limit for 13 s more");
    expect(describePace({ slowed: [], heldUntil: NOW - 1 }, NOW)).toBeNull();
  });
});
