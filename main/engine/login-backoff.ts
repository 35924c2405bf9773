// After the vendor refuses an account's credentials, its polls (and the logins they would make) wait
// longer each time: 5 s, 10 s, 20 s … at most 5 minutes. A vendor that counts failed logins (LiveVox,
// Audian) would otherwise lock the account out within a minute of a wrong password.

export interface BackoffPolicy {
  firstMs: number;
  maxMs: number;
}

export const LOGIN_BACKOFF: BackoffPolicy = { firstMs: 5_000, maxMs: 5 * 60_000 };

export class LoginBackoff {
  private refusals = 0;
  private until: number | null = null;

  constructor(private readonly policy: BackoffPolicy = LOGIN_BACKOFF) {}

  /** Epoch ms before which no poll goes out; null when not backing off. */
  get retryAt(): number | null {
    return this.until;
  }

  /**
   * Records a refusal and returns when to try again. Polls that were already in flight when the
   * first refusal came back are the same attempt, so refusals before the current wait ends count once.
   */
  refused(now: number): number {
    if (this.until !== null && now < this.until) return this.until;
    const wait = Math.min(this.policy.maxMs, this.policy.firstMs * 2 ** this.refusals);
    this.refusals += 1;
    this.until = now + wait;
    return this.until;
  }

  /** The credentials worked (or the supervisor just proved they do): back to normal pace. */
  reset(): void {
    this.refusals = 0;
    this.until = null;
  }
}

/** The retry time as the supervisor reads it, on this computer's clock. */
export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
