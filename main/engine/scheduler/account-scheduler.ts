// One scheduler per vendor account: it owns every request the account makes (polls, details,
// actions, logins, connection tests), counted in the buckets the vendor documents. It outlives the
// account's connectors (a reconnect or a connection test gets a new gate on the same buckets), so a
// vendor's window and our own count survive them. Accounts never share one: a slow or rate-limited
// vendor delays only its own requests.
import { SwitchboardError } from '../../domain/errors.js';
import type { GatePass, HttpRequest, RequestGate } from '../../vendors/shared/http.js';
import type { BucketSpec, VendorLimits } from '../../vendors/shared/limits.js';
import type { Clock } from '../clock.js';
import { Bucket, type BucketView, type HeldNotice } from './bucket.js';
import { currentLane, type Lane } from './lane.js';

export interface SchedulerOptions {
  /** The window limits are counted over (60 s; the click benchmark shortens it to fill buckets fast). */
  windowMs?: number;
  /** A vendor's hold on one of the account's buckets began or ended. */
  holdChanged?: () => void;
}

export class AccountScheduler {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly accountId: string,
    private readonly limits: VendorLimits,
    specs: readonly BucketSpec[],
    private readonly clock: Clock,
    private readonly onHeld: (n: HeldNotice & { accountId: string }) => void,
    private readonly opts: SchedulerOptions = {},
  ) {
    this.configure(specs);
  }

  /** The account's buckets (new figures for a changed account keep each bucket's window and hold). */
  configure(specs: readonly BucketSpec[]): void {
    for (const spec of specs) {
      const b = this.buckets.get(spec.id);
      if (b) b.configure(spec);
      else {
        const hooks = { held: (n: HeldNotice) => this.onHeld({ ...n, accountId: this.accountId }), ...(this.opts.holdChanged ? { holdChanged: this.opts.holdChanged } : {}) };
        this.buckets.set(spec.id, new Bucket(spec, this.clock, hooks, this.opts.windowMs));
      }
    }
  }

  /** A gate for one connector: its waiting requests can be refused when that connector goes away. */
  gate(): SchedulerGate {
    return new SchedulerGate(this);
  }

  bucket(id: string): Bucket | undefined {
    return this.buckets.get(id);
  }

  bucketFor(req: Pick<HttpRequest, 'method' | 'path' | 'baseURL'>): Bucket {
    return this.buckets.get(this.limits.bucketOf(req)) ?? this.buckets.values().next().value!;
  }

  views(): BucketView[] {
    return [...this.buckets.values()].map((b) => b.view());
  }

  /** The latest end of a vendor's hold on any of the account's buckets; null when none is held. */
  heldUntil(): number | null {
    const ends = [...this.buckets.values()].map((b) => b.heldUntil()).filter((x): x is number => x !== null);
    return ends.length ? Math.max(...ends) : null;
  }

  /** Requests granted over the scheduler's life, every bucket. */
  get total(): number {
    return [...this.buckets.values()].reduce((n, b) => n + b.total, 0);
  }

  cancel(owner: object, err: SwitchboardError): void {
    for (const b of this.buckets.values()) b.cancel(owner, err);
  }
}

/** HttpCore's gate for one connector of the account. */
export class SchedulerGate implements RequestGate {
  private closed: SwitchboardError | null = null;

  constructor(private readonly scheduler: AccountScheduler) {}

  async pass(req: HttpRequest): Promise<GatePass> {
    if (this.closed) throw this.closed;
    const bucket = this.scheduler.bucketFor(req);
    const ctx = currentLane();
    // A login serves whoever is waiting on it, a click included: it never queues behind polls.
    const lane: Lane = req.noAuth ? 'action' : (ctx?.lane ?? 'poll');
    await bucket.enter(lane, ctx, this);
    return { answered: (res) => bucket.answered(res) };
  }

  /** Refuses the requests waiting now (nothing of theirs was sent); later ones wait as usual. */
  cancelWaiting(reason: string): void {
    this.scheduler.cancel(this, stopped(reason));
  }

  /** The connector is gone: refuse what waits and anything it still asks. */
  close(reason: string): void {
    this.closed = stopped(reason);
    this.scheduler.cancel(this, this.closed);
  }
}

function stopped(reason: string): SwitchboardError {
  return new SwitchboardError('invalid_state', `${reason} before the request was sent; nothing was sent.`);
}
