// Whether one poll loop keeps its normal pace, or runs slower because the account's limit leaves it
// less: a round is "held back" when it ran past its interval and most of the overrun was spent
// waiting for the scheduler (not on a slow vendor). A couple of held-back rounds in a row mark the
// list slowed; a few normal ones clear it, so the indicator does not flicker.
import type { PollIntervals } from './intervals.js';

export type PolledList = 'calls' | 'agents' | 'chat' | 'details';

export interface PaceView {
  /** Lists polled slower than normal because of the limit: about every `everyMs` instead of `normalMs`. */
  slowed: { list: PolledList; everyMs: number; normalMs: number }[];
  /** The vendor holds every request of a bucket until then (a 429's Retry-After, X-RateLimit-Reset). */
  heldUntil: number | null;
}

/** A round counts as held back when it took this much longer than its interval... */
const OVERRUN = 1.2;
/** ...and at least this share of the overrun was waiting for the account's limit. */
const WAIT_SHARE = 0.5;
const SLOW_AFTER = 2;
const NORMAL_AFTER = 3;

export class PollPace {
  private heldBack = 0;
  private normal = 0;
  private slowed = false;
  /** Smoothed time between rounds while slowed, ms. */
  private periodMs: number | null = null;

  constructor(
    readonly list: PolledList,
    readonly every: (i: PollIntervals) => number,
  ) {}

  /** Records one round; true when the list's slowed state changed. */
  note(everyMs: number, elapsedMs: number, waitedMs: number): boolean {
    const period = Math.max(everyMs, elapsedMs);
    const overrun = elapsedMs - everyMs;
    const held = elapsedMs > everyMs * OVERRUN && waitedMs >= overrun * WAIT_SHARE;
    this.periodMs = this.periodMs === null ? period : this.periodMs * 0.7 + period * 0.3;
    const was = this.slowed;
    if (held) {
      this.heldBack += 1;
      this.normal = 0;
      if (this.heldBack >= SLOW_AFTER) this.slowed = true;
    } else {
      this.normal += 1;
      this.heldBack = 0;
      if (this.normal >= NORMAL_AFTER) this.slowed = false;
    }
    return was !== this.slowed;
  }

  /** About how often the list is read while slowed; null at its normal pace. */
  slowedEveryMs(): number | null {
    return this.slowed && this.periodMs !== null ? Math.round(this.periodMs) : null;
  }
}
