// Polls return whole lists; the renderer wants only what changed. Items are compared field by
// field (nested arrays by value), so an unchanged call costs no bytes on the wire.
import type { Call } from '../domain/model.js';

export interface Delta<T> {
  added: T[];
  updated: T[];
  removed: string[];
}

export function isEmptyDelta<T>(d: Delta<T>): boolean {
  return d.added.length === 0 && d.updated.length === 0 && d.removed.length === 0;
}

/** Structural equality for the plain data of the domain model (no Dates, Maps or cycles). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  for (const k of ak) if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/**
 * sameValue for two calls, without the generic walk: the scalar fields compared directly, the
 * nested ones (legs, bridge, sessions) only when they are not the same object, and by sameValue.
 * Calls are built with exactly the fields of the Call schema (CALL_FIELDS lists them all, checked
 * against the schema in test/unit/diff.test.ts), so the result is sameValue's.
 */
export function sameCall(a: Call, b: Call): boolean {
  if (a === b) return true;
  return (
    a.key === b.key &&
    a.status === b.status &&
    a.onHold === b.onHold &&
    a.agentKey === b.agentKey &&
    a.agentName === b.agentName &&
    a.recording === b.recording &&
    a.muted === b.muted &&
    a.direction === b.direction &&
    a.queue === b.queue &&
    a.startedAt === b.startedAt &&
    a.from === b.from &&
    a.to === b.to &&
    a.vendorCallId === b.vendorCallId &&
    a.accountId === b.accountId &&
    a.vendor === b.vendor &&
    (a.legs === b.legs || sameValue(a.legs, b.legs)) &&
    (a.bridge === b.bridge || sameValue(a.bridge, b.bridge)) &&
    (a.sessions === b.sessions || (a.sessions.length === 0 && b.sessions.length === 0) || sameValue(a.sessions, b.sessions))
  );
}

/** Every field sameCall compares (the Call schema's fields). */
export const CALL_FIELDS = [
  'key',
  'accountId',
  'vendor',
  'vendorCallId',
  'direction',
  'status',
  'from',
  'to',
  'agentKey',
  'agentName',
  'queue',
  'startedAt',
  'onHold',
  'muted',
  'recording',
  'legs',
  'bridge',
  'sessions',
] as const satisfies readonly (keyof Call)[];

/**
 * Replaces the contents of `current` (keyed by `key`) with `next`, returning what changed.
 * Unchanged items keep their old object, so identity tells consumers nothing moved. `same` decides
 * "unchanged": sameValue, or an equivalent that knows the items' shape (sameCall). `keys`, when the
 * caller already has them, must be exactly the keys of `next` (a Set of them, or `next` keyed by key).
 */
export function applySnapshot<T extends { key: string }>(
  current: Map<string, T>,
  next: readonly T[],
  same: (a: T, b: T) => boolean = sameValue,
  keys?: ReadonlySet<string> | ReadonlyMap<string, unknown>,
): Delta<T> {
  const delta: Delta<T> = { added: [], updated: [], removed: [] };
  // The keys of `next`, to find what left: the caller's own index of next when it has one.
  const seen = keys ?? new Set<string>();
  const own = keys === undefined ? (seen as Set<string>) : null;
  for (const item of next) {
    own?.add(item.key);
    const prev = current.get(item.key);
    if (prev === undefined) {
      delta.added.push(item);
      current.set(item.key, item);
    } else if (prev !== item && !same(prev, item)) {
      delta.updated.push(item);
      current.set(item.key, item);
    }
  }
  if (seen.size !== current.size) {
    for (const key of current.keys()) {
      if (!seen.has(key)) {
        delta.removed.push(key);
        current.delete(key);
      }
    }
  }
  return delta;
}
