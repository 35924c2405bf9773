import { describe, expect, it } from 'vitest';
import type { Call } from '../../main/domain/model.js';
import { EMPTY_FILTER, GridIndex, filterCalls, sortCalls, visibleRange } from '../../renderer/src/lib/grid-model.js';

const call = (i: number, over: Partial<Call> = {}): Call => ({
  key: `acc${i % 2}:c${i}`,
  accountId: `acc${i % 2}`,
  vendor: i % 2 ? 'exotel' : 'audian',
  vendorCallId: `c${i}`,
  direction: 'inbound',
  status: i % 3 === 0 ? 'ringing' : 'in_progress',
  from: `+1415555${String(i).padStart(4, '0')}`,
  to: '+16505550000',
  agentKey: null,
  agentName: ['Zoe', 'ann', 'Bob'][i % 3]!,
  queue: null,
  startedAt: 1_000_000 - i * 1000,
  onHold: false,
  muted: false,
  recording: null,
  legs: null,
  bridge: null,
  sessions: [],
  ...over,
});
const label = (id: string) => (id === 'acc0' ? 'Audian main' : 'Exotel IN');
const calls = Array.from({ length: 30 }, (_, i) => call(i));

describe('grid model', () => {
  it('filters by account, vendor, status, agent and free text across number, agent and account label', () => {
    expect(filterCalls(calls, { ...EMPTY_FILTER, accountId: 'acc1' }, label).every((c) => c.accountId === 'acc1')).toBe(true);
    expect(filterCalls(calls, { ...EMPTY_FILTER, vendor: 'audian', status: 'ringing' }, label).map((c) => c.vendorCallId)).toEqual(['c0', 'c6', 'c12', 'c18', 'c24']);
    expect(filterCalls(calls, { ...EMPTY_FILTER, agent: 'AN' }, label)).toHaveLength(10);
    expect(filterCalls(calls, { ...EMPTY_FILTER, text: '5550007' }, label).map((c) => c.vendorCallId)).toEqual(['c7']);
    expect(filterCalls(calls, { ...EMPTY_FILTER, text: 'exotel in' }, label)).toHaveLength(15);
  });

  it('sorts longest first by default and by agent name without case', () => {
    expect(sortCalls(calls, { column: 'duration', descending: true }, label)[0]!.vendorCallId).toBe('c29');
    const byAgent = sortCalls(calls, { column: 'agent', descending: false }, label).map((c) => c.agentName);
    expect(byAgent.slice(0, 10).every((n) => n === 'ann')).toBe(true);
    expect(byAgent[29]).toBe('Zoe');
  });

  it('renders a bounded window whatever the row count', () => {
    expect(visibleRange(0, 680, 34, 10_000)).toEqual({ start: 0, end: 28 });
    expect(visibleRange(340_000, 680, 34, 10_000)).toEqual({ start: 9992, end: 10_000 });
    const mid = visibleRange(170_000, 680, 34, 10_000);
    expect(mid.end - mid.start).toBe(36);
  });

  it('keeps the same order array when an update cannot move a row, and recomputes when it can', () => {
    const index = new GridIndex();
    const sort = { column: 'duration' as const, descending: true };
    const map1 = new Map(calls.map((c) => [c.key, c]));
    const first = index.compute(map1, EMPTY_FILTER, sort, label);
    const held = new Map(map1).set(calls[3]!.key, { ...calls[3]!, onHold: true, muted: true });
    expect(index.compute(held, EMPTY_FILTER, sort, label)).toBe(first);
    const restarted = new Map(held).set(calls[3]!.key, { ...calls[3]!, startedAt: 0 });
    const moved = index.compute(restarted, EMPTY_FILTER, sort, label);
    expect(moved).not.toBe(first);
    expect(moved[0]).toBe(calls[3]!.key);
    const ended = new Map(restarted);
    ended.delete(calls[5]!.key);
    expect(index.compute(ended, EMPTY_FILTER, sort, label)).not.toContain(calls[5]!.key);
    const ringing = index.compute(ended, { ...EMPTY_FILTER, status: 'ringing' }, sort, label);
    const nowTalking = new Map(ended).set(calls[0]!.key, { ...calls[0]!, status: 'in_progress' });
    expect(index.compute(nowTalking, { ...EMPTY_FILTER, status: 'ringing' }, sort, label)).toEqual(ringing.filter((k) => k !== calls[0]!.key));
  });

  it('places every row again when an account is renamed (labels sort and filter)', () => {
    const index = new GridIndex();
    const byAccount = { column: 'account' as const, descending: false };
    const map = new Map(calls.map((c) => [c.key, c]));
    const labelsKey = (l: (id: string) => string) => `${l('acc0')}|${l('acc1')}`;
    expect(index.compute(map, EMPTY_FILTER, byAccount, label, undefined, labelsKey(label))[0]!.startsWith('acc0:')).toBe(true);
    const renamed = (id: string) => (id === 'acc0' ? 'Zulu Audian' : 'Exotel IN');
    expect(index.compute(map, EMPTY_FILTER, byAccount, renamed, undefined, labelsKey(renamed))[0]!.startsWith('acc1:')).toBe(true);
    expect(index.compute(map, { ...EMPTY_FILTER, text: 'zulu' }, byAccount, renamed, undefined, labelsKey(renamed))).toHaveLength(15);
  });
});

describe('grid index kept up to date from changed calls', () => {
  // A small deterministic generator, so a failure repeats.
  const rng = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const columns = ['account', 'direction', 'status', 'from', 'to', 'agent', 'queue', 'duration'] as const;
  const filters = [EMPTY_FILTER, { ...EMPTY_FILTER, status: 'ringing' as const }, { ...EMPTY_FILTER, agent: 'an', accountId: 'acc1' }, { ...EMPTY_FILTER, text: '55500' }];
  const full = (m: ReadonlyMap<string, Call>, f: typeof EMPTY_FILTER, s: { column: (typeof columns)[number]; descending: boolean }) =>
    sortCalls(filterCalls(m.values(), f, label), s, label).map((c) => c.key);

  /** A random live delta: calls end, start, and change in ways that do and do not move them. */
  function churn(live: Map<string, Call>, rand: () => number, serial: { n: number }): { removed: string[]; changed: Call[] } {
    const keys = [...live.keys()];
    const removed: string[] = [];
    const changed: Call[] = [];
    for (let i = 0; i < 6; i++) {
      const k = keys[Math.floor(rand() * keys.length)]!;
      const c = live.get(k)!;
      const r = rand();
      if (r < 0.15) removed.push(k);
      else if (r < 0.4) changed.push({ ...c, onHold: !c.onHold, muted: !c.muted });
      else if (r < 0.55) changed.push({ ...c, status: c.status === 'ringing' ? 'in_progress' : 'ringing' });
      else if (r < 0.7) changed.push({ ...c, agentName: ['Zoe', 'ann', 'Bob', null][Math.floor(rand() * 4)]! });
      else if (r < 0.8) changed.push({ ...c, startedAt: rand() < 0.2 ? null : Math.floor(rand() * 1_000_000) });
      else changed.push(call(1000 + serial.n++, { startedAt: Math.floor(rand() * 1_000_000) }));
    }
    return { removed: removed.filter((k) => !changed.some((c) => c.key === k)), changed };
  }

  it('gives the order a full filter and sort gives, for every column, direction and filter, changed in place', () => {
    for (const column of columns) {
      for (const descending of [false, true]) {
        for (const f of filters) {
          const rand = rng(columns.indexOf(column) * 7 + (descending ? 1 : 0) + filters.indexOf(f) * 31);
          const sort = { column, descending };
          // Ties on the sort key are common (few names, statuses), so the key's tie-break is exercised.
          const live = new Map(Array.from({ length: 60 }, (_, i) => call(i, { startedAt: 1_000_000 - (i % 7) * 1000 })).map((c) => [c.key, c]));
          const index = new GridIndex();
          expect(index.compute(live, f, sort, label, null)).toEqual(full(live, f, sort));
          const serial = { n: 0 };
          for (let round = 0; round < 40; round++) {
            const pending = new Map<string, Call | undefined>();
            // Two deltas between looks: the first call seen before them is what counts.
            for (let d = 0; d < 2; d++) {
              const { removed, changed } = churn(live, rand, serial);
              for (const k of removed) {
                if (!pending.has(k)) pending.set(k, live.get(k));
                live.delete(k);
              }
              for (const c of changed) {
                if (!pending.has(c.key)) pending.set(c.key, live.get(c.key));
                live.set(c.key, c);
              }
            }
            expect(index.compute(live, f, sort, label, pending)).toEqual(full(live, f, sort));
          }
        }
      }
    }
  });

  it('gives the same order from a new map compared call by call, and the same array when nothing moved', () => {
    const rand = rng(99);
    const sort = { column: 'agent' as const, descending: false };
    let live = new Map(calls.map((c) => [c.key, c]));
    const index = new GridIndex();
    let last = index.compute(live, EMPTY_FILTER, sort, label);
    const serial = { n: 0 };
    for (let round = 0; round < 50; round++) {
      const next = new Map(live);
      const { removed, changed } = churn(next, rand, serial);
      for (const k of removed) next.delete(k);
      for (const c of changed) next.set(c.key, c);
      const keys = index.compute(next, EMPTY_FILTER, sort, label);
      expect(keys).toEqual(full(next, EMPTY_FILTER, sort));
      const moved = removed.length > 0 || changed.some((c) => live.get(c.key)?.agentName?.toLowerCase() !== c.agentName?.toLowerCase());
      if (!moved) expect(keys).toBe(last);
      last = keys;
      live = next;
    }
    // Only hold and mute changed, in place: the very same array.
    const held = [...live.values()].slice(0, 10).map((c) => ({ ...c, onHold: true }));
    const before = new Map(held.map((c) => [c.key, live.get(c.key)]));
    for (const c of held) live.set(c.key, c);
    expect(index.compute(live, EMPTY_FILTER, sort, label, before)).toBe(last);
  });

  it('sorts everything again when told the changes are unknown', () => {
    const sort = { column: 'duration' as const, descending: true };
    const live = new Map(calls.map((c) => [c.key, c]));
    const index = new GridIndex();
    const first = index.compute(live, EMPTY_FILTER, sort, label);
    // Changed in place and not reported: the grid cannot know (the caller must pass changes).
    live.set(calls[4]!.key, { ...calls[4]!, startedAt: 0 });
    expect(index.compute(live, EMPTY_FILTER, sort, label, new Map())).toBe(first);
    const again = index.compute(live, EMPTY_FILTER, sort, label, null);
    expect(again[0]).toBe(calls[4]!.key);
    expect(again).toEqual(full(live, EMPTY_FILTER, sort));
  });
});

describe("the app state's call feed with the grid index", () => {
  // app-state.svelte.ts uses Svelte's runes, which only the Svelte compiler turns into signals; this
  // test needs the plain values, so the runes are stood in for as identity functions.
  const runes = globalThis as unknown as Record<string, unknown>;
  const identity = <T>(v: T): T => v;
  runes.$state = Object.assign(identity, { raw: identity });

  it('gives the order a full sort gives over deltas, a new snapshot and a reader that starts late', async () => {
    const { AppState } = await import('../../renderer/src/lib/app-state.svelte.js');
    const listeners = new Map<string, (p: unknown) => void>();
    let snapshot: Call[] = calls;
    const bridge = {
      on: (name: string, l: (p: unknown) => void) => (listeners.set(name, l), () => listeners.delete(name)),
      invoke: async (name: string) => ({ ok: true, value: name === 'snapshot.get' ? { accounts: [], calls: snapshot, agents: [] } : null }),
    };
    const app = new AppState(bridge as never);
    await app.refresh();
    const emit = (d: { added: Call[]; updated: Call[]; removed: string[] }) => listeners.get('calls.changed')!(d);
    const sort = { column: 'agent' as const, descending: true };
    const full = () => sortCalls(filterCalls(app.calls.values(), EMPTY_FILTER, label), sort, label).map((c) => c.key);
    const feed = app.watchCalls();
    const index = new GridIndex();
    expect(index.compute(app.calls, EMPTY_FILTER, sort, label, feed.take())).toEqual(full());
    let n = 0;
    for (let round = 0; round < 30; round++) {
      const live = [...app.calls.values()];
      const updated = live.filter((_, i) => (i + round) % 5 === 0).map((c, i) => ({ ...c, agentName: ['Zoe', 'ann', 'Bob'][(i + round) % 3]!, onHold: !c.onHold }));
      const removed = live.filter((_, i) => (i + round) % 11 === 0 && (i + round) % 5 !== 0).map((c) => c.key);
      const added = [call(500 + n++), call(500 + n++)];
      emit({ added, updated, removed });
      if (round % 3 === 0) emit({ added: [], updated: updated.slice(0, 2).map((c) => ({ ...c, agentName: 'ann' })), removed: added.slice(0, 1).map((c) => c.key) });
      expect(index.compute(app.calls, EMPTY_FILTER, sort, label, feed.take())).toEqual(full());
      if (round === 10) {
        snapshot = calls.slice(5);
        await app.refresh();
      }
    }
    // A reader that joins late starts from everything, then follows changes.
    const late = app.watchCalls();
    expect(late.take()).toBeNull();
    emit({ added: [call(999)], updated: [], removed: [] });
    expect([...late.take()!.keys()]).toEqual([call(999).key]);
    late.close();
    emit({ added: [call(998)], updated: [], removed: [] });
    expect(late.take()!.size).toBe(0);
    feed.close();
  });
});
