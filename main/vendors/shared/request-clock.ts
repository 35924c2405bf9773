// The clock on one request from the moment it is sent: told slow once it passes its timeout (the
// account shows it at once), aborted at its deadline (body included, which axios' idle timeout
// never covers).

/** A request has waited past its timeout and is still going (the account is slow, not yet failed). */
export interface SlowRequest {
  waitedMs: number;
  /** When it will be given up, counted from when it was sent. */
  deadlineMs: number;
}

export interface RequestClock {
  /** Aborts the request at its deadline. */
  signal: AbortSignal;
  /** Whether the deadline struck (an abort from anything else is not a deadline). */
  readonly expired: boolean;
  /** A request that failed by timing out has passed its timeout too: told slow now if not already. */
  timedOut(): void;
  /** Stops both timers (the request has settled). */
  stop(): void;
}

export function startRequestClock(timeoutMs: number, deadlineMs: number, onSlow: ((slow: SlowRequest) => void) | undefined): RequestClock {
  const controller = new AbortController();
  let told = false;
  let expired = false;
  const tellSlow = (): void => {
    if (told) return;
    told = true;
    try {
      onSlow?.({ waitedMs: timeoutMs, deadlineMs });
    } catch {
      // A listener's failure is not the request's.
    }
  };
  const slow = setTimeout(tellSlow, timeoutMs);
  const deadline = setTimeout(() => {
    expired = true;
    controller.abort();
  }, deadlineMs);
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    timedOut: tellSlow,
    stop: () => {
      clearTimeout(slow);
      clearTimeout(deadline);
    },
  };
}
