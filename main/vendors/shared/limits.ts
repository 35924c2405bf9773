// What a vendor's documents say about request limits, as the engine's scheduler needs it: the
// buckets an account's requests are counted in, which bucket each request belongs to, and the pace
// its lists are polled at while the console is in view. Each vendor folder has a limits.ts; the
// design and figures are in docs/scheduler.md, the sources in docs/vendors.md.
import type { AccountConfig } from '../../domain/account.js';
import type { HttpRequest } from './http.js';

export interface BucketSpec {
  /** Stable within the vendor: 'api', 'login', 'voice', 'get'. */
  id: string;
  /** What the bucket counts, for the Accounts view. */
  label: string;
  /** Requests a minute Switchboard allows itself: below the vendor's figure where it publishes one. */
  perMinute: number;
  /** The vendor's published figure, or null where it publishes none. */
  documented: number | null;
  /** Where the figure comes from, shown in Accounts beside it. */
  source: string;
  /** Share of the bucket that polls may never take, kept for the supervisor's actions (default 1/3). */
  reserve?: number;
}

/** In-view poll intervals a vendor asks for instead of the engine's defaults (ms). */
export interface PollPace {
  callsMs?: number;
  agentsMs?: number;
  chatMs?: number;
  detailMs?: number;
}

export interface VendorLimits {
  buckets(account: AccountConfig): BucketSpec[];
  /** The id of the bucket a request is counted in. */
  bucketOf(req: Pick<HttpRequest, 'method' | 'path' | 'baseURL'>): string;
  /** The in-view pace this vendor's lists are polled at (the tray's slow pace is the engine's). */
  inView(account: AccountConfig): PollPace;
}

/** Audian and LiveVox publish no figure: a conservative default a supervisor may raise per account. */
export const UNDOCUMENTED_DEFAULT_PER_MINUTE = 60;

/** The one bucket of a vendor that publishes no limit, at the account's own figure or the default. */
export function undocumentedBucket(vendorName: string, perMinute: number | undefined): BucketSpec {
  return perMinute === undefined
    ? {
        id: 'api',
        label: 'All requests',
        perMinute: UNDOCUMENTED_DEFAULT_PER_MINUTE,
        documented: null,
        source: `${vendorName} publishes no rate limit: Switchboard's conservative default. Raise it in the account's settings if ${vendorName} allows more.`,
      }
    : {
        id: 'api',
        label: 'All requests',
        perMinute,
        documented: null,
        source: `Set on this account (${vendorName} publishes no rate limit).`,
      };
}
