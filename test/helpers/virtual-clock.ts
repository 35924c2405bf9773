// Virtual time for the engine: sleeps wait on a timeline the test advances, while real loopback
// HTTP to the simulators keeps running between steps. Ten simulated minutes take a few seconds.
import type { Clock } from '../../main/engine/clock.js';

interface Sleeper {
  at: number;
  resolve: () => void;
}

export class VirtualClock implements Clock {
  private t: number;
  private sleepers: Sleeper[] = [];

  constructor(start = Date.UTC(2026, 10, 21, 9, 0, 0)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.sleepers.push({ at: this.t + Math.max(0, ms), resolve });
      this.sleepers.sort((a, b) => a.at - b.at);
    });
  }

  /** Lets real I/O (loopback HTTP) finish before time moves on. */
  private settle(realMs: number): Promise<void> {
    return new Promise((r) => setTimeout(r, realMs));
  }

  /**
   * Advances virtual time by `ms`, waking sleepers in order. Between wake-ups it gives real I/O
   * `settleMs` of wall time, so requests started at one instant finish before the next.
   */
  async advance(ms: number, settleMs = 3): Promise<void> {
    const end = this.t + ms;
    await this.settle(settleMs);
    for (;;) {
      const next = this.sleepers[0];
      if (!next || next.at > end) break;
      this.sleepers.shift();
      this.t = Math.max(this.t, next.at);
      next.resolve();
      await this.settle(settleMs);
    }
    this.t = end;
  }
}
