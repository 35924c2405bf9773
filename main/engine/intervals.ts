// How often each list is polled: fast while the console is in view, slow in the tray. A vendor may
// ask for its own in-view pace (its limits.ts); the account's scheduler caps the real rate, whatever
// these say.
export interface PollIntervals {
  callsMs: number;
  agentsMs: number;
  chatMs: number;
  /** Details (legs, bridge) of the call being viewed. */
  detailMs: number;
}

export const VISIBLE_INTERVALS: PollIntervals = { callsMs: 2_000, agentsMs: 3_000, chatMs: 3_000, detailMs: 3_000 };
export const TRAY_INTERVALS: PollIntervals = { callsMs: 15_000, agentsMs: 20_000, chatMs: 10_000, detailMs: 30_000 };

/** Stale after three missed call polls plus a request timeout's grace. */
export const staleAfterMs = (i: PollIntervals, timeoutMs: number): number => i.callsMs * 3 + timeoutMs;
