import { describe, expect, it } from 'vitest';
import { Call } from '../../main/domain/model.js';
import { applySnapshot, CALL_FIELDS, sameCall, sameValue } from '../../main/engine/diff.js';

const T0 = Date.UTC(2026, 2, 10, 12, 0, 0);
const call = (over: Partial<Call> = {}): Call => ({
  key: 'acc:c1',
  accountId: 'acc',
  vendor: 'exotel',
  vendorCallId: 'c1',
  direction: 'inbound',
  status: 'in_progress',
  from: '+911',
  to: '+912',
  agentKey: 'acc:ada',
  agentName: 'Ada',
  queue: 'Sales',
  startedAt: T0,
  onHold: false,
  muted: null,
  recording: true,
  legs: null,
  bridge: null,
  sessions: [],
  ...over,
});
const leg = { id: 'l1', role: 'agent' as const, number: '1', status: 'connected', muted: false, onHold: false, monitorMode: null, startedAt: null };
const session = { callKey: 'acc:c1', accountId: 'acc', mode: 'listen' as const, handle: 'h', startedAt: T0, own: true };

describe('sameCall', () => {
  it('compares every field of the Call schema', () => {
    expect([...CALL_FIELDS].sort()).toEqual(Object.keys(Call.shape).sort());
  });

  it('agrees with sameValue on every single-field change, and on copies', () => {
    const other: { [K in keyof Call]: Call[K][] } = {
      key: ['acc:c2'],
      accountId: ['acc2'],
      vendor: ['livevox'],
      vendorCallId: ['c2'],
      direction: ['outbound', 'unknown'],
      status: ['on_hold', 'ended'],
      from: [null, '+9111'],
      to: [null],
      agentKey: [null, 'acc:bob'],
      agentName: [null, 'Ad'],
      queue: [null],
      startedAt: [null, T0 + 1],
      onHold: [true, null],
      muted: [false, true],
      recording: [false, null],
      legs: [[], [leg], [{ ...leg, muted: true }], [leg, leg]],
      bridge: [{ id: 'b', status: 'up', createdAt: null }, { id: 'b', status: 'down', createdAt: null }],
      sessions: [[session], [{ ...session, mode: 'barge' }], [session, session]],
    };
    const bases = [call(), call({ legs: [leg], bridge: { id: 'b', status: 'up', createdAt: null }, sessions: [session] })];
    for (const base of bases) {
      const copy = JSON.parse(JSON.stringify(base)) as Call;
      expect(sameCall(base, copy)).toBe(true);
      expect(sameCall(base, base)).toBe(true);
      for (const field of CALL_FIELDS) {
        for (const v of other[field]) {
          const changed = { ...copy, [field]: JSON.parse(JSON.stringify(v)) } as Call;
          expect([field, v, sameCall(base, changed)]).toEqual([field, v, sameValue(base, changed)]);
          expect([field, v, sameCall(changed, base)]).toEqual([field, v, sameValue(changed, base)]);
        }
      }
    }
  });
});

describe('applySnapshot', () => {
  const c = (id: string, over: Partial<Call> = {}) => call({ key: `acc:${id}`, vendorCallId: id, ...over });

  it('gives the same delta with sameCall or sameValue, and with or without the caller’s keys', () => {
    const first = [c('a'), c('b'), c('c'), c('d')];
    const next = [c('a'), c('b', { onHold: true }), c('d', { legs: [leg] }), c('e'), c('b', { onHold: true })];
    const run = (same?: (x: Call, y: Call) => boolean, withKeys = false) => {
      const current = new Map<string, Call>();
      applySnapshot(current, first);
      const kept = current.get('acc:a');
      const keys = withKeys ? new Map(next.map((x) => [x.key, x])) : undefined;
      const delta = applySnapshot(current, next, same, keys);
      return { delta, held: [...current.keys()], keptIdentity: current.get('acc:a') === kept };
    };
    const expected = run();
    expect(expected.delta.removed).toEqual(['acc:c']);
    expect(expected.delta.added.map((x) => x.key)).toEqual(['acc:e']);
    expect(expected.delta.updated.map((x) => x.key)).toEqual(['acc:b', 'acc:d']);
    expect(expected.keptIdentity).toBe(true);
    expect(run(sameCall)).toEqual(expected);
    expect(run(sameCall, true)).toEqual(expected);
    expect(run(undefined, true)).toEqual(expected);
  });

  it('removes what left even when the list repeats a key', () => {
    const current = new Map<string, Call>();
    applySnapshot(current, [c('a'), c('b')]);
    const delta = applySnapshot(current, [c('a'), c('a')], sameCall, new Set(['acc:a']));
    expect(delta).toEqual({ added: [], updated: [], removed: ['acc:b'] });
    expect(applySnapshot(current, [c('a'), c('a')], sameCall)).toEqual({ added: [], updated: [], removed: [] });
  });
});
