// Polls return whole lists; the renderer wants only what changed. Items are compared field by
// field (nested arrays by value), so an unchanged call costs no bytes on the wire.

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
 * Replaces the contents of `current` (keyed by `key`) with `next`, returning what changed.
 * Unchanged items keep their old object, so identity tells consumers nothing moved.
 */
export function applySnapshot<T extends { key: string }>(current: Map<string, T>, next: readonly T[]): Delta<T> {
  const delta: Delta<T> = { added: [], updated: [], removed: [] };
  const seen = new Set<string>();
  for (const item of next) {
    seen.add(item.key);
    const prev = current.get(item.key);
    if (prev === undefined) {
      delta.added.push(item);
      current.set(item.key, item);
    } else if (!sameValue(prev, item)) {
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
