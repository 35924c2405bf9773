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

export function filterCalls(calls: Iterable<Call>, f: CallFilter, accountLabel: (id: string) => string): Call[] {
  const text = f.text.trim().toLowerCase();
  const agent = f.agent?.trim().toLowerCase() ?? '';
  const out: Call[] = [];
  for (const c of calls) {
    if (f.accountId && c.accountId !== f.accountId) continue;
    if (f.vendor && c.vendor !== f.vendor) continue;
    if (f.status && c.status !== f.status) continue;
    if (agent && !(c.agentName ?? '').toLowerCase().includes(agent)) continue;
    if (text) {
      const hay = `${c.from ?? ''} ${c.to ?? ''} ${c.agentName ?? ''} ${c.queue ?? ''} ${c.vendorCallId} ${accountLabel(c.accountId)}`.toLowerCase();
      if (!hay.includes(text)) continue;
    }
    out.push(c);
  }
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

export function sortCalls(calls: Call[], s: CallSort, accountLabel: (id: string) => string): Call[] {
  const keyed = calls.map((c) => ({ c, k: keyOf(c, s.column, accountLabel) }));
  const dir = s.descending ? -1 : 1;
  keyed.sort((a, b) => (a.k < b.k ? -dir : a.k > b.k ? dir : a.c.key < b.c.key ? -1 : a.c.key > b.c.key ? 1 : 0));
  return keyed.map((x) => x.c);
}

/** Which rows to render for a scroll position: a window plus overscan, never the whole list. */
export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 8): { start: number; end: number } {
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(total, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { start, end };
}

/**
 * The grid's ordered keys, recomputed only when a change could move a row: a filter or sort change,
 * a call added or removed, or a changed call whose sort key or filter match moved. Most live updates
 * (hold, mute, recording, sessions) keep the order, and then the same array comes back, so the grid
 * re-renders only the visible rows whose call changed.
 */
export class GridIndex {
  private calls: Map<string, Call> | null = null;
  private filterKey = '';
  private sortKey = '';
  private keys: string[] = [];

  compute(calls: Map<string, Call>, filter: CallFilter, sort: CallSort, accountLabel: (id: string) => string): string[] {
    const fk = JSON.stringify(filter);
    const sk = JSON.stringify(sort);
    if (this.calls && fk === this.filterKey && sk === this.sortKey && this.orderHolds(this.calls, calls, filter, sort, accountLabel)) {
      this.calls = calls;
      return this.keys;
    }
    this.calls = calls;
    this.filterKey = fk;
    this.sortKey = sk;
    this.keys = sortCalls(filterCalls(calls.values(), filter, accountLabel), sort, accountLabel).map((c) => c.key);
    return this.keys;
  }

  private orderHolds(prev: Map<string, Call>, next: Map<string, Call>, f: CallFilter, s: CallSort, label: (id: string) => string): boolean {
    if (prev === next) return true;
    if (prev.size !== next.size) return false;
    for (const [key, c] of next) {
      const p = prev.get(key);
      if (p === undefined) return false;
      if (p === c) continue;
      if (keyOf(p, s.column, label) !== keyOf(c, s.column, label)) return false;
      if (filterCalls([p], f, label).length !== filterCalls([c], f, label).length) return false;
    }
    return true;
  }
}
