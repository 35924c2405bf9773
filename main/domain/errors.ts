// Errors cross every boundary as a stable code plus a human message; the vendor's own words ride
// along in vendorMessage. Never a stack, never a secret.
import { z } from 'zod';

export const ERROR_CODES = [
  'not_found',
  'invalid_state',
  'unsupported',
  'auth_failed',
  'forbidden',
  'rate_limited',
  'vendor_unavailable',
  'network',
  /** A proxy between Switchboard and the vendor refused or could not be reached; nothing reached the vendor. */
  'proxy',
  /** The vendor's TLS certificate was not trusted (or expired, or for another host); nothing was sent. */
  'certificate',
  'timeout',
  'invalid_input',
  'bad_response',
  /** A call action may or may not have taken effect: never retried, shown to the supervisor as unknown. */
  'outcome_unknown',
  'action_failed',
  'not_configured',
  'internal',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorInfo = z.object({
  code: ErrorCode,
  message: z.string(),
  vendorMessage: z.string().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export class SwitchboardError extends Error {
  readonly code: ErrorCode;
  readonly vendorMessage: string | undefined;
  /** Seconds the vendor asked us to wait (429 Retry-After), when it said. */
  readonly retryAfterSec: number | undefined;
  constructor(code: ErrorCode, message: string, opts: { vendorMessage?: string; retryAfterSec?: number } = {}) {
    super(message);
    this.name = 'SwitchboardError';
    this.code = code;
    this.vendorMessage = opts.vendorMessage;
    this.retryAfterSec = opts.retryAfterSec;
  }
  toInfo(): ErrorInfo {
    return this.vendorMessage === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, vendorMessage: this.vendorMessage };
  }
}

/** Anything thrown becomes an ErrorInfo; unknown errors lose their text so no stack or secret leaks. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof SwitchboardError) return err.toInfo();
  return { code: 'internal', message: 'Something went wrong inside Switchboard; the action was not completed.' };
}
