// The request scheduler on a virtual clock: windows, lanes, the reserved share, even polls, one
// rate-limit window per bucket, held-action notices and cancellation.
import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../main/domain/errors.js';
import { PollPace } from '../../main/engine/poll-pace.js';
import { AccountScheduler } from '../../main/engine/scheduler/account-scheduler.js';
import { Bucket, type HeldNotice } from '../../main/engine/scheduler/bucket.js';
import { inLane, laneContext, runInLane, type Lane } from '../../main/engine/scheduler/lane.js';
import { readRateSignal, resetDelayMs } from '../../main/engine/scheduler/rate-headers.js';
import { VISIBLE_INTERVALS } from '../../main/engine/intervals.js';
import type { BucketSpec, VendorLimits } from '../../main/vendors/shared/limits.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const T0 = Date.UTC(2026, 10, 21, 9, 0, 0);
const spec = (perMinute: number, id = 'api'): BucketSpec => ({ id, label: `${id} requests`, perMinute, documented: null, source: 'test' });

interface Grant {
  lane: Lane;
  at: number;
}

/** A bucket with a log of what it granted, when. */
function rig(perMinute: number) {
  const clock = new VirtualClock(T0);
  const notices: HeldNotice[] = [];
  const bucket = new Bucket(spec(perMinute), clock, { held: (n) => void notices.push(n) });
  const grants: Grant[] = [];
  const owner = {};
  const send = async (lane: Lane, label: string = lane): Promise<number> => {
    const ctx = laneContext(lane, label);
    await bucket.enter(lane, ctx, owner);
    grants.push({ lane, at: clock.now() });
    return clock.now();
  };
  return { clock, bucket, grants, notices, owner, send };
}

/** Most grants (of the lanes given) in any window of `ms`. */
function busiest(grants: Grant[], ms: number, lanes: Lane[] = ['action', 'detail', 'poll']): number {
  const at = grants.filter((g) => lanes.includes(g.lane)).map((g) => g.at);
  let worst = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i]! - at[j]! >= ms) j++;
    worst = Math.max(worst, i - j + 1);
  }
  return worst;
}

/** A loop asking for its lane's turn every `everyMs` until stopped. */
function hammer(r: ReturnType<typeof rig>, lane: Lane, everyMs: number, stop: () => boolean): Promise<void> {
  return (async () => {
    while (!stop()) {
      await r.send(lane);
      await r.clock.sleep(everyMs);
    }
  })();
}

describe('a bucket', () => {
  it('never lets more than its limit through in any window, whatever the lanes ask, and polls never take the reserve', async () => {
    const r = rig(60);
    let stop = false;
    const loops = [hammer(r, 'poll', 100, () => stop), hammer(r, 'poll', 250, () => stop), hammer(r, 'detail', 700, () => stop), hammer(r, 'action', 2_000, () => stop)];
    for (let s = 0; s < 600; s++) await r.clock.advance(1_000, 0);
    stop = true;
    await r.clock.advance(120_000, 0);
    await Promise.all(loops);
    expect(busiest(r.grants, 60_000)).toBeLessThanOrEqual(60);
    // Details and polls together never more than two thirds; actions got the rest.
    expect(busiest(r.grants, 60_000, ['detail', 'poll'])).toBeLessThanOrEqual(40);
    expect(r.bucket.stats.peakNonAction).toBe(40);
    expect(r.bucket.stats.peak).toBeLessThanOrEqual(60);
    expect(r.bucket.pollCeiling).toBe(40);
  });

  it('sends an action at once while polls saturate their share', async () => {
    const r = rig(60);
    let stop = false;
    const loops = [hammer(r, 'poll', 50, () => stop), hammer(r, 'poll', 50, () => stop)];
    for (let s = 0; s < 90; s++) await r.clock.advance(1_000, 0);
    expect(r.bucket.waiting().poll).toBeGreaterThan(0);
    const asked = r.clock.now();
    for (let i = 0; i < 20; i++) {
      const sent = await r.send('action', 'agent.ready');
      expect(sent - asked).toBe(0);
    }
    expect(r.notices).toEqual([]);
    stop = true;
    await r.clock.advance(120_000, 0);
    await Promise.all(loops);
  });

  it('spreads polls evenly at the rate their share allows: no bursts beyond a small one', async () => {
    const r = rig(60);
    let stop = false;
    // Four pollers that together want 16 requests a second.
    const loops = [0, 1, 2, 3].map(() => hammer(r, 'poll', 250, () => stop));
    for (let s = 0; s < 300; s++) await r.clock.advance(1_000, 0);
    stop = true;
    await r.clock.advance(120_000, 0);
    await Promise.all(loops);
    const polls = r.grants.filter((g) => g.lane === 'poll' && g.at - T0 >= 60_000 && g.at - T0 < 300_000);
    const gaps = polls.slice(1).map((g, i) => g.at - polls[i]!.at);
    // 40 a minute: one every 1.5 s, never two closer than that once the first burst is spent.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1_500);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1_600);
    expect(busiest(r.grants, 10_000, ['poll'])).toBeLessThanOrEqual(8);
  });

  it('serves lanes in order when the window is full: actions, then details, then polls', async () => {
    const r = rig(3);
    for (let i = 0; i < 3; i++) await r.send('action');
    const order: Lane[] = [];
    const waiters = (['poll', 'detail', 'action'] as Lane[]).map((lane) => r.send(lane).then(() => void order.push(lane)));
    await r.clock.advance(200_000, 0);
    await Promise.all(waiters);
    expect(order).toEqual(['action', 'detail', 'poll']);
  });

  it('holds every request of the bucket for a 429’s whole Retry-After, then sends each once', async () => {
    const r = rig(600);
    const start = r.clock.now();
    r.bucket.answered({ status: 429, headers: { 'retry-after': '3' } });
    expect(r.bucket.heldUntil()).toBe(start + 3_000);
    const sent = (['poll', 'detail', 'action'] as Lane[]).map((lane) => r.send(lane, `x.${lane}`));
    await r.clock.advance(2_999, 0);
    expect(r.grants).toEqual([]);
    await r.clock.advance(1, 0);
    const at = await Promise.all(sent);
    for (const t of at) expect(t).toBe(start + 3_000);
    expect(r.grants.map((g) => g.lane).sort()).toEqual(['action', 'detail', 'poll']);
    // The held action said how long, and why.
    expect(r.notices).toEqual([{ bucket: 'api', label: 'x.action', waitMs: 3_000, cause: 'rate_limited' }]);
    expect(r.bucket.heldUntil()).toBeNull();
  });

  it('holds for X-RateLimit-Reset when the vendor says none are left, and keeps to a lower X-RateLimit-Limit', async () => {
    const r = rig(600);
    const start = r.clock.now();
    r.bucket.answered({ status: 200, headers: { 'x-ratelimit-limit': '120', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.round(start / 1000) + 7) } });
    expect(r.bucket.heldUntil()).toBe(start + 7_000);
    expect(r.bucket.view().perMinute).toBe(120);
    const sent = r.send('action');
    await r.clock.advance(6_000, 0);
    expect(r.grants).toEqual([]);
    await r.clock.advance(1_000, 0);
    expect(await sent).toBe(start + 7_000);
  });

  it('holds a 429 that names no wait for a short, doubling pause', async () => {
    const r = rig(600);
    const start = r.clock.now();
    r.bucket.answered({ status: 429, headers: {} });
    expect(r.bucket.heldUntil()).toBe(start + 1_000);
    await r.clock.advance(1_000, 0);
    r.bucket.answered({ status: 429, headers: {} });
    expect(r.bucket.heldUntil()).toBe(start + 3_000);
  });

  it('tells a held action once how long it waits for the account’s own limit', async () => {
    const r = rig(2);
    await r.send('action');
    await r.clock.advance(10_000, 0);
    await r.send('action');
    const ctx = laneContext('action', 'monitor.listen');
    const held = r.bucket.enter('action', ctx, r.owner);
    expect(r.notices).toEqual([{ bucket: 'api', label: 'monitor.listen', waitMs: 50_000, cause: 'limit' }]);
    await r.clock.advance(50_000, 0);
    await held;
    expect(ctx.waitedMs).toBe(50_000);
    expect(r.notices).toHaveLength(1);
  });

  it('refuses the waiting requests of a connector that went away, and only those', async () => {
    const r = rig(600);
    r.bucket.answered({ status: 429, headers: { 'retry-after': '60' } });
    const gone = {};
    const refused = r.bucket.enter('poll', undefined, gone).then(
      () => 'sent',
      (err: unknown) => (err instanceof SwitchboardError ? err.code : 'other'),
    );
    const kept = r.send('poll');
    r.bucket.cancel(gone, new SwitchboardError('invalid_state', 'gone'));
    expect(await refused).toBe('invalid_state');
    await r.clock.advance(60_000, 0);
    expect(await kept).toBe(T0 + 60_000);
  });
});

describe('an account scheduler', () => {
  const limits: VendorLimits = {
    buckets: () => [spec(600, 'voice'), spec(600, 'get')],
    bucketOf: (req) => (req.path.startsWith('/v1/') ? 'voice' : 'get'),
    inView: () => ({}),
  };

  it('puts each request in its vendor’s bucket and its caller’s lane; a login always goes as an action', async () => {
    const clock = new VirtualClock(T0);
    const s = new AccountScheduler('acc', limits, limits.buckets({} as never), clock, () => undefined);
    const gate = s.gate();
    await gate.pass({ method: 'GET', path: '/v3/calls' });
    await inLane('action', 'monitor.listen', () => gate.pass({ method: 'POST', path: '/v1/Legs' }));
    await inLane('detail', 'details', () => gate.pass({ method: 'GET', path: '/v1/ActiveLegs' }));
    await inLane('poll', 'calls', () => gate.pass({ method: 'POST', path: '/v3/login', noAuth: true }));
    expect(s.bucket('get')!.stats.granted).toEqual({ action: 1, detail: 0, poll: 1 });
    expect(s.bucket('voice')!.stats.granted).toEqual({ action: 1, detail: 1, poll: 0 });
    expect(s.total).toBe(4);
  });

  it('holds only the bucket a 429 came from', async () => {
    const clock = new VirtualClock(T0);
    const s = new AccountScheduler('acc', limits, limits.buckets({} as never), clock, () => undefined);
    const gate = s.gate();
    const pass = await gate.pass({ method: 'GET', path: '/v3/calls' });
    pass.answered({ status: 429, headers: { 'retry-after': '5' }, text: '' });
    expect(s.heldUntil()).toBe(T0 + 5_000);
    // The other bucket goes at once; this one waits the window out.
    await gate.pass({ method: 'GET', path: '/v1/ActiveLegs' });
    let got = false;
    const held = gate.pass({ method: 'GET', path: '/v3/stream' }).then(() => (got = true));
    await clock.advance(4_999, 0);
    expect(got).toBe(false);
    await clock.advance(1, 0);
    await held;
    expect(got).toBe(true);
  });

  it('a closed gate refuses at once and sends nothing; the scheduler and its window live on', async () => {
    const clock = new VirtualClock(T0);
    const s = new AccountScheduler('acc', limits, limits.buckets({} as never), clock, () => undefined);
    const old = s.gate();
    (await old.pass({ method: 'GET', path: '/v3/calls' })).answered({ status: 429, headers: { 'retry-after': '30' }, text: '' });
    const waiting = old.pass({ method: 'GET', path: '/v3/calls' }).catch((err: unknown) => err);
    old.close('The account was reconnected');
    expect(await waiting).toMatchObject({ code: 'invalid_state' });
    await expect(old.pass({ method: 'GET', path: '/v3/calls' })).rejects.toMatchObject({ code: 'invalid_state' });
    // A new connector's gate still waits out the vendor's window.
    expect(s.heldUntil()).toBe(T0 + 30_000);
  });

  it('carries the lane through shared work: a request made inside an action context is an action', async () => {
    const clock = new VirtualClock(T0);
    const s = new AccountScheduler('acc', limits, limits.buckets({} as never), clock, () => undefined);
    const gate = s.gate();
    const ctx = laneContext('action', 'call.hold');
    await runInLane(ctx, async () => {
      await Promise.resolve();
      await Promise.all([gate.pass({ method: 'GET', path: '/v3/a' }), gate.pass({ method: 'GET', path: '/v3/b' })]);
    });
    expect(s.bucket('get')!.stats.granted.action).toBe(2);
  });
});

describe('rate headers', () => {
  it('reads X-RateLimit-Reset as seconds to wait, epoch seconds or epoch milliseconds', () => {
    expect(resetDelayMs('12', T0)).toBe(12_000);
    expect(resetDelayMs(String(T0 / 1000 + 30), T0)).toBe(30_000);
    expect(resetDelayMs(String(T0 + 4_000), T0)).toBe(4_000);
    expect(resetDelayMs(new Date(T0 + 9_000).toUTCString(), T0)).toBe(9_000);
    expect(resetDelayMs('soon', T0)).toBeNull();
  });

  it('a 429 holds for the longer of Retry-After and the reset; a 200 only when none are left', () => {
    expect(readRateSignal({ status: 429, headers: { 'retry-after': '3', 'x-ratelimit-reset': '10' } }, T0)).toEqual({ holdMs: 10_000, refused: true, vendorLimit: null });
    expect(readRateSignal({ status: 200, headers: { 'x-ratelimit-remaining': '4', 'x-ratelimit-reset': '10', 'x-ratelimit-limit': '200' } }, T0)).toEqual({
      holdMs: null,
      refused: false,
      vendorLimit: 200,
    });
  });
});

describe('poll pace', () => {
  const every = VISIBLE_INTERVALS.callsMs;
  it('marks a list slowed after two rounds held back by the limit, and clears it after three normal ones', () => {
    const p = new PollPace('calls', (i) => i.callsMs);
    expect(p.note(every, every * 2, every * 0.9)).toBe(false);
    expect(p.note(every, every * 2, every * 0.9)).toBe(true);
    expect(p.slowedEveryMs()).toBeGreaterThan(every * 1.5);
    expect(p.note(every, 100, 0)).toBe(false);
    expect(p.note(every, 100, 0)).toBe(false);
    expect(p.note(every, 100, 0)).toBe(true);
    expect(p.slowedEveryMs()).toBeNull();
  });

  it('does not blame the limit for a slow vendor', () => {
    const p = new PollPace('calls', (i) => i.callsMs);
    for (let i = 0; i < 5; i++) p.note(every, every * 3, 0);
    expect(p.slowedEveryMs()).toBeNull();
  });
});
