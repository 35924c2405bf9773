// Filtering and sorting of the call grid, as plain functions over plain data so they are fast on
// 10,000 rows and testable without a DOM.
import type { Call } from '../../../main/domain/model.js';
import type { SavedView } from '../../../preload/contract.js';

/** The same shape a saved view stores, so a view is the filter as it was. */
export type CallFilter = SavedView['filter'];

export type SortColumn = 'account' | 'direction' | 'status' | 'from' | 'to' | 'agent' | 'queue' | 'duration';
export interface CallSort {
  column: SortColumn;
  descending: boolean;
}

export const EMPTY_FILTER: CallFilter = { text: '', accountId: null, vendor: null, status: null, agent: null };
export const DEFAULT_SORT: CallSort = { column: 'duration', descending: true };

/** Whether a call passes the filter; `text` and `agent` already trimmed and lower-cased. */
function matches(c: Call, f: CallFilter, text: string, agent: string, accountLabel: (id: string) => string): boolean {
  if (f.accountId && c.accountId !== f.accountId) return false;
  if (f.vendor && c.vendor !== f.vendor) return false;
  if (f.status && c.status !== f.status) return false;
  if (agent && !(c.agentName ?? '').toLowerCase().includes(agent)) return false;
  if (text) {
    const hay = `${c.from ?? ''} ${c.to ?? ''} ${c.agentName ?? ''} ${c.queue ?? ''} ${c.vendorCallId} ${accountLabel(c.accountId)}`.toLowerCase();
    if (!hay.includes(text)) return false;
  }
  return true;
}

/** The filter as one test of one call. */
function matcher(f: CallFilter, accountLabel: (id: string) => string): (c: Call) => boolean {
  const text = f.text.trim().toLowerCase();
  const agent = f.agent?.trim().toLowerCase() ?? '';
  return (c) => matches(c, f, text, agent, accountLabel);
}

export function filterCalls(calls: Iterable<Call>, f: CallFilter, accountLabel: (id: string) => string): Call[] {
  const test = matcher(f, accountLabel);
  const out: Call[] = [];
  for (const c of calls) if (test(c)) out.push(c);
  return out;
}

/** Plain comparisons (no localeCompare): sorting 10,000 rows must fit in a frame. */
function keyOf(c: Call, col: SortColumn, accountLabel: (id: string) => string): string | number {
  switch (col) {
    case 'account':
      return accountLabel(c.accountId);
    case 'direction':
      return c.direction;
    case 'status':
      return c.status;
    case 'from':
      return c.from ?? '';
    case 'to':
      return c.to ?? '';
    case 'agent':
      return (c.agentName ?? '').toLowerCase();
    case 'queue':
      return c.queue ?? '';
    case 'duration':
      // Longest first when descending: an earlier start is a longer call.
      return c.startedAt === null ? Number.NEGATIVE_INFINITY : -c.startedAt;
  }
}

/** The grid's order: by the column's key in the sort's direction, then by call key (always ascending). */
function compare(ak: string | number, aKey: string, bk: string | number, bKey: string, dir: number): number {
  return ak < bk ? -dir : ak > bk ? dir : aKey < bKey ? -1 : aKey > bKey ? 1 : 0;
}

export function sortCalls(calls: Call[], s: CallSort, accountLabel: (id: string) => string): Call[] {
  const keyed = calls.map((c) => ({ c, k: keyOf(c, s.column, accountLabel) }));
  const dir = s.descending ? -1 : 1;
  keyed.sort((a, b) => compare(a.k, a.c.key, b.k, b.c.key, dir));
  return keyed.map((x) => x.c);
}

/** Which rows to render for a scroll position: a window plus overscan, never the whole list. */
export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 8): { start: number; end: number } {
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(total, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { start, end };
}

/**
 * Changed calls since the last `compute`: each key with the call as it was then (undefined: it was
 * not there). The app state's `CallChanges` feed hands these out (or null: start again).
 */
export type GridChanges = ReadonlyMap<string, Call | undefined>;

/**
 * The grid's ordered keys, kept up to date from the changed calls alone. A change of filter or sort
 * (or a new snapshot) filters and sorts everything again; otherwise only changed calls are looked
 * at: a call whose sort key and filter match are unchanged keeps its place, and when every changed
 * call does (hold, mute, recording, sessions: most live updates), the same array comes back, so the
 * grid re-renders only the visible rows whose call changed. Calls that ended, left the filter or
 * moved are taken out, and new, newly matching or moved ones merged in at their place, which is the
 * order a full sort gives, without sorting 10,000 rows again.
 */
export class GridIndex {
  private calls: ReadonlyMap<string, Call> | null = null;
  private filterKey = '';
  private sortKey = '';
  private keys: string[] = [];

  /**
   * `changes`: what changed since the last call, when `calls` is changed in place; null when unknown
   * (everything is filtered and sorted again). Without it, a different map is compared call by call
   * with the previous one, and the same map is taken as unchanged. `labelsKey` changes when an
   * account is renamed: labels take part in the text filter and the account sort, so every row is
   * placed again.
   */
  compute(
    calls: ReadonlyMap<string, Call>,
    filter: CallFilter,
    sort: CallSort,
    accountLabel: (id: string) => string,
    changes?: GridChanges | null,
    labelsKey = '',
  ): string[] {
    const fk = `${JSON.stringify(filter)}\n${labelsKey}`;
    const sk = JSON.stringify(sort);
    const prev = this.calls;
    this.calls = calls;
    if (prev && fk === this.filterKey && sk === this.sortKey && changes !== null) {
      const changed = changes ?? (prev === calls ? null : diff(prev, calls));
      if (changed === null || changed.size === 0) return this.keys;
      const keys = this.update(calls, changed, filter, sort, accountLabel);
      if (keys) return (this.keys = keys);
    }
    this.filterKey = fk;
    this.sortKey = sk;
    this.keys = sortCalls(filterCalls(calls.values(), filter, accountLabel), sort, accountLabel).map((c) => c.key);
    return this.keys;
  }

  /**
   * The order after `changes`: the same array when no row leaves, joins or moves, else a new one;
   * null if the merge meets a kept row that is no longer there (a change was not reported), and then
   * everything is sorted again rather than failing.
   */
  private update(calls: ReadonlyMap<string, Call>, changes: GridChanges, f: CallFilter, s: CallSort, label: (id: string) => string): string[] | null {
    const test = matcher(f, label);
    const leave = new Set<string>();
    const join: Call[] = [];
    for (const [key, before] of changes) {
      const now = calls.get(key);
      if (before === now) continue;
      const was = before !== undefined && test(before);
      const is = now !== undefined && test(now);
      if (was && is && keyOf(before, s.column, label) === keyOf(now, s.column, label)) continue;
      if (was) leave.add(key);
      if (is) join.push(now);
    }
    if (leave.size === 0 && join.length === 0) return this.keys;
    const kept = leave.size === 0 ? this.keys : this.keys.filter((k) => !leave.has(k));
    if (join.length === 0) return kept;
    // Merge: each joining call (in order) goes where a binary search of the kept order puts it.
    const dir = s.descending ? -1 : 1;
    const out: string[] = [];
    let from = 0;
    for (const c of sortCalls(join, s, label)) {
      const k = keyOf(c, s.column, label);
      let lo = from;
      let hi = kept.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const other = kept[mid]!;
        const oc = calls.get(other);
        if (oc === undefined) return null;
        if (compare(keyOf(oc, s.column, label), other, k, c.key, dir) < 0) lo = mid + 1;
        else hi = mid;
      }
      for (let i = from; i < lo; i++) out.push(kept[i]!);
      out.push(c.key);
      from = lo;
    }
    for (let i = from; i < kept.length; i++) out.push(kept[i]!);
    return out;
  }
}

/** What differs between two maps of calls, as changes from the first to the second. */
function diff(prev: ReadonlyMap<string, Call>, next: ReadonlyMap<string, Call>): Map<string, Call | undefined> {
  const changes = new Map<string, Call | undefined>();
  for (const [key, c] of next) {
    const p = prev.get(key);
    if (p !== c) changes.set(key, p);
  }
  for (const [key, p] of prev) if (!next.has(key)) changes.set(key, p);
  return changes;
}
