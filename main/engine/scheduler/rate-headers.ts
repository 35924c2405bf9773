// What a vendor's answer says about its rate limit: a 429's Retry-After, and X-RateLimit-Limit /
// -Remaining / -Reset where the vendor sends them (Exotel, docs/vendors.md › Exotel › Limits).
import { parseRetryAfter, type HttpResponse } from '../../vendors/shared/http.js';

export interface RateSignal {
  /** Hold the bucket this long (ms): the vendor refused (429) or said nothing is left until a reset. */
  holdMs: number | null;
  /** The answer was a 429. */
  refused: boolean;
  /** The vendor's own figure for this bucket (X-RateLimit-Limit), when it sends one. */
  vendorLimit: number | null;
}

function int(value: string | undefined): number | null {
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return null;
  return Number(value);
}

/**
 * X-RateLimit-Reset comes as seconds until the reset, epoch seconds or epoch milliseconds depending
 * on the vendor (Exotel does not say which): read by magnitude, or as an HTTP date.
 */
export function resetDelayMs(value: string | undefined, now: number): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (Number.isFinite(n) && n >= 0) {
    if (n > 1e12) return Math.max(0, n - now);
    if (n > 1e9) return Math.max(0, n * 1000 - now);
    return n * 1000;
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export function readRateSignal(res: Pick<HttpResponse, 'status' | 'headers'>, now: number): RateSignal {
  const h = res.headers;
  const refused = res.status === 429;
  const reset = resetDelayMs(h['x-ratelimit-reset'], now);
  const retryAfterSec = refused ? parseRetryAfter(h['retry-after'], now) : undefined;
  let holdMs: number | null = null;
  if (refused) {
    const waits = [retryAfterSec === undefined ? null : retryAfterSec * 1000, reset].filter((x): x is number => x !== null);
    holdMs = waits.length ? Math.max(...waits) : null;
  } else if (int(h['x-ratelimit-remaining']) === 0 && reset !== null) {
    holdMs = reset;
  }
  return { holdMs, refused, vendorLimit: int(h['x-ratelimit-limit']) };
}
