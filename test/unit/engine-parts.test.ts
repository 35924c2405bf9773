import { describe, expect, it } from 'vitest';
import type { Agent, Call } from '../../main/domain/model.js';
import { DurationRules, agentStateAlert, type Alert } from '../../main/engine/alerts.js';
import { Bucket } from '../../main/engine/scheduler/bucket.js';
import { applySnapshot } from '../../main/engine/diff.js';
import { NotifyPolicy } from '../../main/engine/notify-policy.js';
import { computeTrayModel } from '../../main/engine/tray-model.js';
import { afterFailure, afterSlow, afterSuccess, initialHealth, isStale, slowDetail } from '../../main/engine/health.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
const call = (over: Partial<Call> = {}): Call => ({
  key: 'acc:c1',
  accountId: 'acc',
  vendor: 'audian',
  vendorCallId: 'c1',
  direction: 'inbound',
  status: 'in_progress',
  from: '+14155550001',
  to: '+14155550002',
  agentKey: 'acc:a1',
  agentName: 'Ada',
  queue: null,
  startedAt: T0,
  onHold: false,
  muted: false,
  recording: null,
  legs: null,
  bridge: null,
  sessions: [],
  ...over,
});
const agent = (over: Partial<Agent> = {}): Agent => ({
  key: 'acc:a1',
  accountId: 'acc',
  vendor: 'livevox',
  loginId: 'a1',
  name: 'Ada',
  state: 'ready',
  reason: null,
  since: T0,
  currentCallKey: null,
  service: null,
  ...over,
});
const thresholds = { callLongerThanSec: 600, holdLongerThanSec: 120, ringingLongerThanSec: 30, notReadyLongerThanSec: 900 };

describe('diff', () => {
  it('emits only what changed and keeps unchanged objects', () => {
    const current = new Map<string, Call>();
    const a = call();
    const b = call({ key: 'acc:c2', vendorCallId: 'c2' });
    expect(applySnapshot(current, [a, b])).toEqual({ added: [a, b], updated: [], removed: [] });
    const sameAgain = [call(), call({ key: 'acc:c2', vendorCallId: 'c2' })];
    expect(applySnapshot(current, sameAgain)).toEqual({ added: [], updated: [], removed: [] });
    expect(current.get('acc:c1')).toBe(a);
    const held = call({ onHold: true });
    expect(applySnapshot(current, [held])).toEqual({ added: [], updated: [held], removed: ['acc:c2'] });
  });

  it('sees changes inside nested legs', () => {
    const current = new Map<string, Call>();
    const leg = { id: 'l1', role: 'agent' as const, number: '1', status: 'connected', muted: false, onHold: false, monitorMode: null, startedAt: null };
    applySnapshot(current, [call({ legs: [leg] })]);
    const changed = call({ legs: [{ ...leg, muted: true }] });
    expect(applySnapshot(current, [changed]).updated).toEqual([changed]);
  });
});

describe('agent state alerts', () => {
  it.each([
    ['not_ready', 'agent.notReady', 'Ada went not ready', 'Reason: LUNCH'],
    ['logged_off', 'agent.loggedOff', 'Ada logged off', 'Was ready'],
    ['on_call', 'agent.tookCall', 'Ada took a call', ''],
  ] as const)('%s → %s', (state, kind, title, body) => {
    const a = agentStateAlert(agent(), agent({ state, reason: state === 'not_ready' ? 'LUNCH' : null }), T0);
    expect(a).toMatchObject({ kind, title, body, agentKey: 'acc:a1' });
  });
  it('ready again after not ready', () => {
    expect(agentStateAlert(agent({ state: 'not_ready' }), agent(), T0)?.kind).toBe('agent.ready');
  });
  it('nothing when the state did not change or the agent is new', () => {
    expect(agentStateAlert(agent(), agent({ reason: 'x' }), T0)).toBeNull();
    expect(agentStateAlert(undefined, agent(), T0)).toBeNull();
  });
});

describe('duration rules under a fake clock', () => {
  it('fires each rule once when its threshold passes, and again only after it clears', () => {
    const rules = new DurationRules();
    const kinds = (xs: Alert[]) => xs.map((x) => x.kind);
    let calls = [call({ onHold: true })];
    expect(kinds(rules.evaluate(calls, [], thresholds, T0))).toEqual([]);
    expect(kinds(rules.evaluate(calls, [], thresholds, T0 + 119_000))).toEqual([]);
    expect(kinds(rules.evaluate(calls, [], thresholds, T0 + 120_000))).toEqual(['call.longHold']);
    expect(kinds(rules.evaluate(calls, [], thresholds, T0 + 125_000))).toEqual([]);
    calls = [call({ onHold: false })];
    rules.evaluate(calls, [], thresholds, T0 + 130_000);
    calls = [call({ onHold: true })];
    expect(kinds(rules.evaluate(calls, [], thresholds, T0 + 131_000))).toEqual([]);
    expect(kinds(rules.evaluate(calls, [], thresholds, T0 + 251_000))).toEqual(['call.longHold']);
    expect(kinds(rules.evaluate(calls, [], thresholds, T0 + 600_000))).toEqual(['call.long']);
  });

  it('ringing too long and not ready too long', () => {
    const rules = new DurationRules();
    const ringing = call({ status: 'ringing', startedAt: T0 });
    const away = agent({ state: 'not_ready', reason: 'BREAK', since: T0 });
    expect(rules.evaluate([ringing], [away], thresholds, T0 + 29_000)).toEqual([]);
    const at30 = rules.evaluate([ringing], [away], thresholds, T0 + 30_000);
    expect(at30.map((a) => [a.kind, a.title])).toEqual([['call.longRinging', 'Unanswered call from +14155550001']]);
    const at900 = rules.evaluate([ringing], [away], thresholds, T0 + 900_000);
    expect(at900.map((a) => [a.kind, a.body])).toEqual([['agent.longNotReady', 'Reason: BREAK']]);
  });

  it('raises nothing for a paused (stale) account, and neither repeats nor restarts when it returns', () => {
    const rules = new DurationRules();
    const held = [call({ onHold: true })];
    let paused = false;
    const run = (at: number) => rules.evaluate(held, [], thresholds, at, () => paused).map((a) => a.kind);
    expect(run(T0)).toEqual([]);
    expect(run(T0 + 120_000)).toEqual(['call.longHold']);
    paused = true;
    expect(run(T0 + 600_000)).toEqual([]);
    paused = false;
    // The hold alert already fired before the pause; the long-call one is due now that data is live.
    expect(run(T0 + 601_000)).toEqual(['call.long']);
  });
});

describe('notification policy', () => {
  const prefs = { enabled: true, agentStateChanges: true, callAlerts: true, doNotDisturb: false };
  const alert = (i: number, kind: Alert['kind'] = 'agent.notReady', at = T0): Alert => ({
    id: `x${i}`,
    kind,
    accountId: 'acc',
    callKey: kind.startsWith('call') ? `acc:c${i}` : null,
    agentKey: kind.startsWith('agent') ? `acc:a${i}` : null,
    title: `Agent${i} went not ready`,
    body: 'Reason: LUNCH',
    at,
  });

  it('shows a single alert with its target, after the grouping window', () => {
    const p = new NotifyPolicy();
    p.offer([alert(1)], prefs);
    expect(p.flush(T0 + 500, prefs)).toEqual([]);
    expect(p.flush(T0 + 2_000, prefs)).toEqual([{ title: 'Agent1 went not ready', body: 'Reason: LUNCH', callKey: null, agentKey: 'acc:a1', kinds: ['agent.notReady'], count: 1 }]);
  });

  it('groups alerts of one kind that arrive together', () => {
    const p = new NotifyPolicy();
    p.offer([1, 2, 3, 4, 5, 6].map((i) => alert(i)), prefs);
    const [n] = p.flush(T0 + 2_000, prefs);
    expect(n).toMatchObject({ title: '6 agents went not ready', body: 'Agent1, Agent2, Agent3, Agent4 and 2 more', count: 6, agentKey: null });
  });

  it('is silent in do-not-disturb and for switched-off kinds', () => {
    const p = new NotifyPolicy();
    p.offer([alert(1)], { ...prefs, doNotDisturb: true });
    p.offer([alert(2)], { ...prefs, agentStateChanges: false });
    p.offer([alert(3, 'call.longHold')], { ...prefs, callAlerts: false });
    expect(p.flush(T0 + 10_000, prefs)).toEqual([]);
  });

  it('drops alerts still waiting to be grouped when do-not-disturb goes on, and the overflow summary too', () => {
    const p = new NotifyPolicy({ groupWindowMs: 2_000, perMinute: 1 });
    p.offer([alert(1), alert(2, 'call.long')], prefs);
    expect(p.flush(T0 + 2_000, prefs)).toHaveLength(1);
    p.offer([alert(3)], prefs);
    expect(p.flush(T0 + 4_000, { ...prefs, doNotDisturb: true })).toEqual([]);
    expect(p.flush(T0 + 120_000, prefs)).toEqual([]);
  });

  it('rate-limits and folds the overflow into one summary', () => {
    const p = new NotifyPolicy({ groupWindowMs: 0, perMinute: 3 });
    const kinds: Alert['kind'][] = ['agent.notReady', 'agent.loggedOff', 'agent.ready', 'agent.tookCall', 'call.long'];
    p.offer(kinds.map((k, i) => alert(i, k)), prefs);
    expect(p.flush(T0, prefs).length).toBe(3);
    expect(p.flush(T0 + 30_000, prefs)).toEqual([]);
    const later = p.flush(T0 + 61_000, prefs);
    expect(later).toEqual([{ title: '2 more alerts', body: 'Open Switchboard to see them all.', callKey: null, agentKey: null, kinds: [], count: 2 }]);
  });
});

describe('tray model', () => {
  it('counts, offers the longest call and the longest hold, and shows monitoring', () => {
    const calls = [
      call({ key: 'acc:c1', startedAt: T0 - 300_000, agentName: 'Ada' }),
      call({ key: 'acc:c2', startedAt: T0 - 900_000, agentName: 'Bo' }),
      call({ key: 'acc:c3', startedAt: T0 - 60_000, onHold: true, agentName: 'Cy' }),
    ];
    const agents = [agent(), agent({ key: 'acc:a2', state: 'not_ready' }), agent({ key: 'acc:a3', state: 'on_call' })];
    const m = computeTrayModel({
      calls,
      agents,
      staleAccounts: [],
      own: [{ callKey: 'acc:c1', accountId: 'acc', mode: 'whisper', handle: 'h', startedAt: T0, own: true }],
      doNotDisturb: true,
      holdStartedAt: (k) => (k === 'acc:c3' ? T0 - 240_000 : null),
      now: T0,
    });
    expect(m).toMatchObject({ activeCalls: 3, agentsReady: 1, agentsNotReady: 1, doNotDisturb: true, monitoring: { callKey: 'acc:c1', mode: 'whisper' } });
    expect(m.quickActions.map((q) => [q.id, q.callKey])).toEqual([
      ['listen-longest', 'acc:c2'],
      ['listen-longest-hold', 'acc:c3'],
    ]);
    expect(m.quickActions[1]!.label).toContain('4 min');
  });
});

describe('request bucket', () => {
  it('never lets more than perMinute requests through in any 60 s window over 10 simulated minutes', async () => {
    const clock = new VirtualClock(T0);
    const bucket = new Bucket({ id: 'api', label: 'All requests', perMinute: 50, documented: null, source: 'test' }, clock, { held: () => undefined });
    const budget = { acquire: () => bucket.enter('action', undefined, {}), get peak() { return bucket.stats.peak; } };
    const stamps: number[] = [];
    let stop = false;
    const hammer = async () => {
      while (!stop) {
        await budget.acquire();
        stamps.push(clock.now());
        await clock.sleep(100); // a client asking ten times a second
      }
    };
    const workers = [hammer(), hammer(), hammer()];
    for (let t = 0; t < 600; t++) await clock.advance(1_000, 0);
    stop = true;
    await clock.advance(120_000, 0);
    await Promise.all(workers);
    let worst = 0;
    for (let i = 0, j = 0; i < stamps.length; i++) {
      while (stamps[i]! - stamps[j]! >= 60_000) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect(worst).toBeLessThanOrEqual(50);
    expect(worst).toBe(50); // and it does let the budget be used
    expect(budget.peak).toBe(50);
    expect(stamps.length).toBeGreaterThanOrEqual(500);
  });
});

describe('health', () => {
  it('degrades on one failure, becomes unreachable on repeated transport failures, auth_failed on credentials', () => {
    let h = afterSuccess(initialHealth(), T0);
    h = afterFailure(h, 'timeout', 'slow');
    expect(h.health).toBe('degraded');
    h = afterFailure(h, 'network', 'down');
    expect(h.health).toBe('unreachable');
    expect(h.dataAt).toBe(T0);
    expect(afterFailure(initialHealth(), 'auth_failed', 'bad key').health).toBe('auth_failed');
    expect(afterFailure(initialHealth(), 'rate_limited', '429').health).toBe('degraded');
    expect(isStale(h, T0 + 10_000, 16_000)).toBe(false);
    expect(isStale(h, T0 + 17_000, 16_000)).toBe(true);
  });

  it('a slow request degrades an ok or connecting account at once, and leaves a failing one its failure', () => {
    const detail = slowDetail(10_000, 30_000);
    expect(detail).toMatch(/waited more than 10 s .*gives up after 30 s/);
    const ok = afterSuccess(initialHealth(), T0);
    expect(afterSlow(ok, detail)).toEqual({ health: 'degraded', detail, dataAt: T0, consecutiveFailures: 0 });
    expect(afterSlow(initialHealth(), detail)).toMatchObject({ health: 'degraded', detail, consecutiveFailures: 0 });
    const down = afterFailure(afterFailure(ok, 'network', 'down'), 'network', 'down');
    expect(afterSlow(down, detail)).toBe(down);
    // The next answer clears it like any other.
    expect(afterSuccess(afterSlow(ok, detail), T0 + 1)).toMatchObject({ health: 'ok', detail: null });
  });
});
