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
});
