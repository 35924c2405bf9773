// A per-account request budget: at most `perMinute` requests in any sliding 60 s window. Every
// request a connector makes waits here first, so no polling pattern or burst of clicks can exceed
// what the vendor allows. Limits sit below each vendor's published figure (NOTES.md).
import type { Vendor } from '../domain/model.js';
import type { Clock } from './clock.js';

/** Published limits: Engage Voice 120/min, Exotel 200/min (voice APIs); Audian and LiveVox publish none. */
export const DEFAULT_BUDGET_PER_MINUTE: Record<Vendor, number> = {
  'engage-voice': 100,
  exotel: 160,
  audian: 60,
  livevox: 60,
};

const WINDOW_MS = 60_000;

export class RequestBudget {
  private readonly sent: number[] = [];
  private chain: Promise<void> = Promise.resolve();
  /** Requests made over the budget's life, for reports. */
  total = 0;
  /** Largest number of requests seen in any window, for the budget tests and reliability report. */
  peak = 0;

  constructor(
    readonly perMinute: number,
    private readonly clock: Clock,
  ) {}

  /** Resolves when one more request may go; callers queue in order. */
  acquire(): Promise<void> {
    const next = this.chain.then(() => this.waitForSlot());
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Requests still allowed in the current window. */
  remaining(): number {
    this.prune(this.clock.now());
    return Math.max(0, this.perMinute - this.sent.length);
  }

  private prune(now: number): void {
    while (this.sent.length && this.sent[0]! <= now - WINDOW_MS) this.sent.shift();
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.prune(now);
      if (this.sent.length < this.perMinute) {
        this.sent.push(now);
        this.total += 1;
        this.peak = Math.max(this.peak, this.sent.length);
        return;
      }
      await this.clock.sleep(this.sent[0]! + WINDOW_MS - now + 1);
    }
  }
}
