// An account's health, from the outcome of its polls: one failure degrades, repeated transport
// failures make it unreachable, a credentials refusal is auth_failed until a poll succeeds. A request
// still waiting past its timeout degrades it at once, before that request has failed.
import type { ErrorCode } from '../domain/errors.js';
import type { AccountHealth } from '../domain/model.js';

export interface HealthState {
  health: AccountHealth;
  detail: string | null;
  /** Epoch ms of the last successful list poll. */
  dataAt: number | null;
  consecutiveFailures: number;
}

export const initialHealth = (): HealthState => ({ health: 'degraded', detail: 'Connecting…', dataAt: null, consecutiveFailures: 0 });

export function afterSuccess(_s: HealthState, at: number): HealthState {
  return { health: 'ok', detail: null, dataAt: at, consecutiveFailures: 0 };
}

export function afterFailure(s: HealthState, code: ErrorCode, message: string): HealthState {
  const consecutiveFailures = s.consecutiveFailures + 1;
  let health: AccountHealth;
  if (code === 'auth_failed' || code === 'forbidden' || code === 'not_configured') health = 'auth_failed';
  else if ((code === 'network' || code === 'timeout') && consecutiveFailures >= 2) health = 'unreachable';
  else health = 'degraded';
  return { health, detail: message, dataAt: s.dataAt, consecutiveFailures };
}

/**
 * A request has waited past its timeout. An ok account (or one still connecting) is degraded now,
 * saying why, rather than showing ok until the request finally fails; an account already failing
 * keeps the failure, which says more.
 */
export function afterSlow(s: HealthState, detail: string): HealthState {
  if (s.health !== 'ok' && s.consecutiveFailures > 0) return s;
  return { ...s, health: 'degraded', detail };
}

/** What a slow vendor looks like to the supervisor. */
export function slowDetail(waitedMs: number, deadlineMs: number): string {
  const secs = (ms: number) => Math.round(ms / 100) / 10;
  return `The vendor is slow: a request has waited more than ${secs(waitedMs)} s for an answer (Switchboard gives up after ${secs(deadlineMs)} s); the data shown may be out of date.`;
}

/** Data is stale once no poll has succeeded for this long; it is then never shown as live. */
export function isStale(s: HealthState, now: number, staleAfterMs: number): boolean {
  return s.dataAt === null || now - s.dataAt > staleAfterMs;
}
