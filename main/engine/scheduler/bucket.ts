// One rate-limit bucket of one vendor account: every request counted in it waits here for its turn.
//
// - A sliding window (60 s) never holds more than the bucket's limit, whatever asks.
// - Supervisor actions may use the whole window; details of the call in view and polls may never
//   take the reserved share (a third by default), so a click always finds room.
// - Lanes are served in order (actions, details, polls), first come first served within a lane;
//   details may take at most half of the polls' share, so a viewed call never starves the board.
// - Polls are spread evenly at the rate their share allows (a small burst at most), so a busy
//   bucket slows every poll a little rather than starving the board for half a minute.
// - A 429 (or X-RateLimit-Remaining: 0) holds the whole bucket until the vendor's window passes:
//   one window per bucket, not one per request's retry loop.
// The design and each vendor's figures: docs/scheduler.md.
import { SwitchboardError } from '../../domain/errors.js';
import type { HttpResponse } from '../../vendors/shared/http.js';
import type { BucketSpec } from '../../vendors/shared/limits.js';
import type { Clock } from '../clock.js';
import { LANES, type Lane, type LaneContext } from './lane.js';
import { readRateSignal } from './rate-headers.js';

export const WINDOW_MS = 60_000;
export const DEFAULT_RESERVE = 1 / 3;
/** A held action tells the supervisor when it will wait at least this long. */
export const NOTICE_AFTER_MS = 1_000;
/** A 429 that names no wait holds for this, doubling with each one in a row, up to the cap. */
const BARE_429_HOLD_MS = 1_000;
const BARE_429_MAX_HOLD_MS = 30_000;
/** Polls may go this many at once at most (a page or two of a paged list), then one per spacing. */
const MAX_POLL_BURST = 4;

/** Why a request waits: the vendor refused or asked for a pause, or the account is at its own limit. */
export type HoldCause = 'rate_limited' | 'limit';

export interface HeldNotice {
  bucket: string;
  /** The action that waits (its lane label). */
  label: string;
  waitMs: number;
  cause: HoldCause;
}

export interface BucketView {
  id: string;
  label: string;
  /** What the bucket allows now: the account's figure, or the vendor's X-RateLimit-Limit if lower. */
  perMinute: number;
  documented: number | null;
  source: string;
  /** Requests a minute polls may use; the rest is kept for the supervisor's actions. */
  pollsPerMinute: number;
}

export interface BucketStats {
  granted: Record<Lane, number>;
  /** Time the requests of each lane spent waiting for their turn, ms in all. */
  waitedMs: Record<Lane, number>;
  /** Most requests seen in any window, and most that were not actions. */
  peak: number;
  peakNonAction: number;
}

export interface BucketHooks {
  /** An action will wait at least NOTICE_AFTER_MS: the supervisor is told how long, once. */
  held(n: HeldNotice): void;
  /** A vendor's hold began or ended (the account's pace indicator shows it). */
  holdChanged?(): void;
}

interface Waiter {
  lane: Lane;
  since: number;
  ctx: LaneContext | undefined;
  owner: object;
  resolve: () => void;
  reject: (err: Error) => void;
}

interface Hold {
  until: number;
  cause: HoldCause;
}

export class Bucket {
  private spec: BucketSpec;
  /** Grants still inside the window, oldest first. */
  private readonly log: { at: number; lane: Lane }[] = [];
  private nonAction = 0;
  private details = 0;
  private hold: Hold | null = null;
  private refusedInARow = 0;
  private vendorLimit: number | null = null;
  /** When the next poll is due at the even pace (a generic cell rate: "theoretical arrival time"). */
  private pollDue = Number.NEGATIVE_INFINITY;
  private readonly queues: Record<Lane, Waiter[]> = { action: [], detail: [], poll: [] };
  private timerAt: number | null = null;
  private timerSeq = 0;
  readonly stats: BucketStats = { granted: { action: 0, detail: 0, poll: 0 }, waitedMs: { action: 0, detail: 0, poll: 0 }, peak: 0, peakNonAction: 0 };

  constructor(
    spec: BucketSpec,
    private readonly clock: Clock,
    private readonly hooks: BucketHooks,
    private readonly windowMs = WINDOW_MS,
  ) {
    this.spec = spec;
  }

  get id(): string {
    return this.spec.id;
  }

  /** New figures for the same bucket (the account's limit changed): waiters are re-planned. */
  configure(spec: BucketSpec): void {
    this.spec = spec;
    this.pump();
  }

  /** Requests allowed in one window. */
  get limit(): number {
    const perMinute = Math.min(this.spec.perMinute, this.vendorLimit ?? Number.POSITIVE_INFINITY);
    return Math.max(1, Math.floor((perMinute * this.windowMs) / 60_000));
  }

  /** Of those, what details and polls may take; at least one request of every window is kept for actions. */
  get pollCeiling(): number {
    const limit = this.limit;
    if (limit < 2) return limit;
    const reserve = Math.max(1, Math.ceil(limit * (this.spec.reserve ?? DEFAULT_RESERVE)));
    return Math.max(1, limit - reserve);
  }

  /**
   * The even pace of polls. With a burst of b allowed after a quiet spell, spacing them over
   * (ceiling - b + 1) keeps burst and steady pace together within the ceiling in any window, so a
   * busy bucket's polls go one by one rather than in the pairs a full window would free at once.
   */
  /** Details of the call in view may take up to half of what polls may; polls keep the rest. */
  get detailCeiling(): number {
    return Math.max(1, Math.floor(this.pollCeiling / 2));
  }

  private get spacing(): number {
    return this.windowMs / Math.max(1, this.pollCeiling - this.burst + 1);
  }

  private get burst(): number {
    return Math.min(MAX_POLL_BURST, Math.max(1, Math.floor(this.pollCeiling / 20)));
  }

  view(): BucketView {
    const perWindow = (n: number) => Math.round((n * 60_000) / this.windowMs);
    return {
      id: this.spec.id,
      label: this.spec.label,
      perMinute: perWindow(this.limit),
      documented: this.spec.documented,
      source: this.spec.source,
      pollsPerMinute: perWindow(this.pollCeiling),
    };
  }

  /** When the vendor's hold on this bucket ends; null when there is none. */
  heldUntil(): number | null {
    return this.hold?.until ?? null;
  }

  /** Requests granted over the bucket's life. */
  get total(): number {
    return this.stats.granted.action + this.stats.granted.detail + this.stats.granted.poll;
  }

  /** Resolves when a request of `lane` may go; queued behind every waiting request of its lane or a higher one. */
  enter(lane: Lane, ctx: LaneContext | undefined, owner: object): Promise<void> {
    const now = this.clock.now();
    this.prune(now);
    const aheadOf = LANES.slice(0, LANES.indexOf(lane) + 1);
    if (aheadOf.every((l) => this.queues[l].length === 0) && this.canGrant(lane, now)) {
      this.grant(lane, now);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { lane, since: now, ctx, owner, resolve, reject };
      this.queues[lane].push(w);
      this.pump();
      // Still waiting after the pump: an action tells the supervisor how long, when it is long.
      if (this.queues[lane].includes(w)) this.noticeFor(w, now);
    });
  }

  /** What the vendor answered to a request of this bucket: a 429 or an exhausted X-RateLimit holds it. */
  answered(res: Pick<HttpResponse, 'status' | 'headers'>): void {
    const now = this.clock.now();
    const signal = readRateSignal(res, now);
    if (signal.vendorLimit !== null && signal.vendorLimit > 0) this.vendorLimit = signal.vendorLimit;
    if (signal.refused) {
      this.refusedInARow += 1;
      const bare = Math.min(BARE_429_MAX_HOLD_MS, BARE_429_HOLD_MS * 2 ** (this.refusedInARow - 1));
      this.holdFor(signal.holdMs ?? bare);
    } else {
      this.refusedInARow = 0;
      if (signal.holdMs !== null && signal.holdMs > 0) this.holdFor(signal.holdMs);
    }
  }

  /** Refuses every waiting request of `owner` (its connector is gone); nothing of theirs was sent. */
  cancel(owner: object, err: SwitchboardError): void {
    for (const lane of LANES) {
      const q = this.queues[lane];
      for (let i = q.length - 1; i >= 0; i--) {
        if (q[i]!.owner !== owner) continue;
        const [w] = q.splice(i, 1);
        w!.reject(err);
      }
    }
    this.pump();
  }

  /** How many requests wait in each lane (tests and the pace indicator). */
  waiting(): Record<Lane, number> {
    return { action: this.queues.action.length, detail: this.queues.detail.length, poll: this.queues.poll.length };
  }

  private holdFor(ms: number): void {
    const now = this.clock.now();
    const until = now + ms;
    if (this.hold && this.hold.until >= until) return;
    const began = this.hold === null;
    const hold: Hold = { until, cause: 'rate_limited' };
    this.hold = hold;
    // The hold ends when its own sleep does (not on a clock reading), so a test clock that shortens
    // sleeps shortens holds alike.
    void this.clock.sleep(ms).then(() => {
      if (this.hold !== hold) return;
      this.hold = null;
      this.pump();
      this.hooks.holdChanged?.();
    });
    if (began) this.hooks.holdChanged?.();
    for (const w of this.queues.action) this.noticeFor(w, now);
  }

  private prune(now: number): void {
    while (this.log.length && this.log[0]!.at <= now - this.windowMs) {
      const { lane } = this.log.shift()!;
      if (lane !== 'action') this.nonAction -= 1;
      if (lane === 'detail') this.details -= 1;
    }
  }

  private canGrant(lane: Lane, now: number): boolean {
    if (this.hold) return false;
    if (this.log.length >= this.limit) return false;
    if (lane === 'action') return true;
    if (this.nonAction >= this.pollCeiling) return false;
    if (lane === 'detail') return this.details < this.detailCeiling;
    return now >= this.pollDue - (this.burst - 1) * this.spacing;
  }

  private grant(lane: Lane, now: number): void {
    this.log.push({ at: now, lane });
    if (lane !== 'action') this.nonAction += 1;
    if (lane === 'detail') this.details += 1;
    if (lane === 'poll') this.pollDue = Math.max(this.pollDue, now) + this.spacing;
    this.stats.granted[lane] += 1;
    this.stats.peak = Math.max(this.stats.peak, this.log.length);
    this.stats.peakNonAction = Math.max(this.stats.peakNonAction, this.nonAction);
  }

  private pump(): void {
    const now = this.clock.now();
    this.prune(now);
    for (const lane of LANES) {
      const q = this.queues[lane];
      while (q.length && this.canGrant(lane, now)) {
        const w = q.shift()!;
        this.grant(lane, now);
        this.stats.waitedMs[lane] += now - w.since;
        if (w.ctx) w.ctx.waitedMs += now - w.since;
        w.resolve();
      }
      if (q.length === 0) continue;
      this.wakeFor(lane, now);
      // Lanes are strict: a waiting action holds back details and polls, and a waiting detail holds
      // back polls, except when only the details' own cap stops it (polls keep their half).
      if (!(lane === 'detail' && this.details >= this.detailCeiling && this.nonAction < this.pollCeiling)) return;
    }
  }

  /** The earliest moment the head of `lane` could go; the hold's own sleep wakes a held bucket. */
  private earliest(lane: Lane, now: number): number | null {
    if (this.hold) return null;
    let at = now;
    if (this.log.length >= this.limit) at = Math.max(at, this.log[0]!.at + this.windowMs);
    if (lane !== 'action' && this.nonAction >= this.pollCeiling) {
      const oldest = this.log.find((g) => g.lane !== 'action');
      if (oldest) at = Math.max(at, oldest.at + this.windowMs);
    }
    if (lane === 'detail' && this.details >= this.detailCeiling) {
      const oldest = this.log.find((g) => g.lane === 'detail');
      if (oldest) at = Math.max(at, oldest.at + this.windowMs);
    }
    if (lane === 'poll') at = Math.max(at, this.pollDue - (this.burst - 1) * this.spacing);
    return at;
  }

  private wakeFor(lane: Lane, now: number): void {
    const at = this.earliest(lane, now);
    if (at === null) return;
    if (this.timerAt !== null && this.timerAt <= at) return;
    this.timerAt = at;
    const seq = ++this.timerSeq;
    void this.clock.sleep(Math.max(1, at - now)).then(() => {
      if (seq !== this.timerSeq) return;
      this.timerAt = null;
      this.pump();
    });
  }

  /** An action that will wait a while says so, once, with the wait and its cause. */
  private noticeFor(w: Waiter, now: number): void {
    if (w.lane !== 'action' || !w.ctx || w.ctx.heldNoticeSent) return;
    let waitMs: number;
    let cause: HoldCause;
    if (this.hold) {
      waitMs = this.hold.until - now;
      cause = 'rate_limited';
    } else {
      // The n-th waiting action goes when the n-th oldest request leaves the window.
      const n = this.queues.action.indexOf(w);
      const frees = this.log[Math.max(0, n)];
      waitMs = frees ? frees.at + this.windowMs - now : 0;
      cause = 'limit';
    }
    if (waitMs < NOTICE_AFTER_MS) return;
    w.ctx.heldNoticeSent = true;
    this.hooks.held({ bucket: this.spec.id, label: w.ctx.label, waitMs, cause });
  }
}
