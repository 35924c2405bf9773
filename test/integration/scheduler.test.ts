// The request scheduler through the whole engine, against the simulators, on virtual time: a click
// goes at once while polls saturate every bucket, twenty LiveVox actions in twenty seconds all go
// while polling carries on slower, a 429 holds its whole bucket for its window (and a held action
// says so and goes once), connection tests keep to the login limit and reuse a running session,
// one vendor never holds up another, and polls keep the vendor's pace.
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent, Call, Vendor } from '../../main/domain/model.js';
import type { AccountView, EventPayload } from '../../preload/contract.js';
import type { LoggedRequest } from '../../main/vendors/shared/sim-server.js';
import type { PollIntervals } from '../../main/engine/intervals.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const ALL: Vendor[] = ['engage-voice', 'exotel', 'audian', 'livevox'];
/** Far faster than any bucket allows: polls always want more than their share. */
const GREEDY: PollIntervals = { callsMs: 200, agentsMs: 200, chatMs: 200, detailMs: 200 };

let h: Harness | null = null;
let clock: VirtualClock;
afterEach(async () => {
  await h?.stop();
  h = null;
});

async function run(ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) await clock.advance(step, 1);
}
/** When a request reached its simulator, in virtual time (the simulators share the test's clock). */
const at = (l: LoggedRequest): number => l.at;
const line = (l: LoggedRequest): string => `${l.method} ${l.path}`;
const sim = (vendor: Vendor) => h!.centre.byVendor(vendor).sim.server;
const idOf = (vendor: Vendor) => h!.centre.byVendor(vendor).config.id;
const runtime = (vendor: Vendor) => h!.app.core.engine.runtime(idOf(vendor))!;
const view = async (vendor: Vendor): Promise<AccountView> => ((await h!.request('accounts.list', {})).value as AccountView[]).find((v) => v.config.vendor === vendor)!;

async function boot(vendors: Vendor[], engine: NonNullable<Parameters<typeof startHarness>[0]>['engine'] = {}, sizes = { calls: 16, agents: 24 }): Promise<Harness> {
  clock = new VirtualClock();
  h = await startHarness({ vendors, ...sizes, clock, engine });
  h.app.core.engine.start();
  await run(3_000);
  return h;
}

/**
 * Starts a click and lets virtual time run `withinMs` at most: if the scheduler made the click wait
 * longer, its request cannot have gone, since the clock then stands still while real I/O finishes.
 * Returns the request and the click's result.
 */
async function click(vendor: Vendor, request: RegExp, send: () => Promise<{ ok: boolean; error?: { code: string } }>, withinMs = 100) {
  const server = sim(vendor);
  const from = server.log.length;
  const t0 = clock.now();
  const result = send();
  const reached = () => server.log.slice(from).find((l) => request.test(line(l)));
  while (!reached() && clock.now() - t0 < withinMs) {
    await clock.advance(10, 2);
  }
  const until = Date.now() + 5_000;
  while (!reached() && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
  const sent = reached();
  expect(sent, `${vendor}: ${request} within ${withinMs} ms of virtual time`).toBeDefined();
  return { sent: sent!, result, afterMs: clock.now() - t0 };
}

async function settle<T>(p: Promise<T>): Promise<T> {
  let done = false;
  const out = p.finally(() => (done = true));
  while (!done) await run(100);
  return out;
}

describe('a click while polls saturate every bucket', () => {
  it('reaches each vendor within 100 ms of virtual time, and polls kept their share', async () => {
    await boot(ALL, { visibleIntervals: GREEDY });
    // An Exotel call in view (one call is in view at a time), so its detail polls fill Exotel's voice bucket too.
    const viewed = [...runtime('exotel').calls.values()].find((x) => x.status === 'in_progress')!;
    expect((await h!.request('calls.view', { callKey: viewed.key })).ok).toBe(true);
    await run(60_000, 250);
    const buckets = h!.centre.accounts.flatMap((a) => {
      const s = h!.app.core.engine.scheduler(a.config.id)!;
      return s.views().filter((x) => !['login', 'platform'].includes(x.id)).map((v) => ({ name: `${a.config.vendor} ${v.id}`, b: s.bucket(v.id)! }));
    });
    const waitedBefore = buckets.map(({ b }) => b.stats.waitedMs.poll + b.stats.waitedMs.detail);
    await run(10_000, 250);
    buckets.forEach(({ name, b }, i) => {
      // Saturated: polls used their whole share (Exotel's voice bucket, which only the viewed call's
      // details use, the details' cap) and kept waiting for more in the last ten seconds.
      expect(b.stats.peakNonAction, name).toBe(b.stats.granted.poll > 0 ? b.pollCeiling : b.detailCeiling);
      expect(b.stats.waitedMs.poll + b.stats.waitedMs.detail, `${name}: polls held back`).toBeGreaterThan(waitedBefore[i]!);
    });
    const inCall = (v: Vendor): Call =>
      [...runtime(v).calls.values()].find((c) => c.status === 'in_progress' && c.key !== viewed.key && c.sessions.length === 0 && (v === 'audian' || c.agentKey))!;
    const clicks: [Vendor, RegExp, () => Promise<{ ok: boolean }>][] = [
      ['engage-voice', /addSessionToCall$/, () => h!.request('calls.monitor', { callKey: inCall('engage-voice').key, mode: 'listen' })],
      ['exotel', /ActiveLegs(\.json)?$/, () => h!.request('calls.monitor', { callKey: inCall('exotel').key, mode: 'listen' })],
      ['audian', /\/conference$/, () => h!.request('calls.monitor', { callKey: inCall('audian').key, mode: 'barge' })],
      ['livevox', /agent\/status\/notReady$/, () => h!.request('agents.action', { agentKeys: [[...runtime('livevox').agents.values()][0]!.key], action: { type: 'notReady', reason: 'BREAK' } })],
    ];
    for (const [vendor, request, send] of clicks) {
      const c = await click(vendor, request, send);
      expect((await settle(c.result)).ok, vendor).toBe(true);
    }
  }, 120_000);
});

describe('LiveVox: twenty actions in twenty seconds', () => {
  it('all reach LiveVox promptly while polling carries on, slower, and the console says so', async () => {
    await boot(['livevox'], { visibleIntervals: { callsMs: 1_000, agentsMs: 1_000, chatMs: 1_000, detailMs: 3_000 } }, { calls: 10, agents: 40 });
    await run(70_000, 250);
    const rt = runtime('livevox');
    const idle = [...rt.agents.values()].filter((a) => a.state === 'ready' || a.state === 'not_ready').slice(0, 10);
    expect(idle.length).toBe(10);
    const start = clock.now();
    for (let i = 0; i < 20; i++) {
      const agent: Agent = idle[i % 10]!;
      const action = i < 10 ? { type: 'notReady', reason: 'BREAK' } : { type: 'ready' };
      const c = await click('livevox', i < 10 ? /status\/notReady$/ : /status\/ready$/, () => h!.request('agents.action', { agentKeys: [agent.key], action }));
      expect(c.afterMs).toBeLessThanOrEqual(100);
      await settle(c.result);
      await run(1_000 - (clock.now() - start - i * 1_000), 100);
    }
    const during = sim('livevox').log.filter((l) => at(l) >= start && at(l) < start + 20_000);
    const realtime = during.filter((l) => /agents\/status$/.test(l.path)).length;
    const chat = during.filter((l) => /chat\/messages$/.test(l.path)).length;
    // Polling went on (the board never went stale) but slower than its 1 s pace (20 + 20 in 20 s).
    expect(realtime).toBeGreaterThanOrEqual(5);
    expect(realtime + chat).toBeLessThan(40);
    const v = await view('livevox');
    expect(v.stale).toBe(false);
    expect(v.pace?.slowed.map((s) => s.list)).toContain('calls');
    expect(v.limits).toEqual([expect.objectContaining({ id: 'api', perMinute: 60, pollsPerMinute: 40, documented: null })]);
    // And the board already shows what the actions did, with no extra poll of their own.
    for (const a of idle) expect(rt.agents.get(a.key)!.state).not.toBe('unknown');
  }, 120_000);
});

describe('one rate-limit window per bucket', () => {
  it('Exotel: a 429 on the v3 list holds every v3 GET for the whole Retry-After, while v1 goes on', async () => {
    await boot(['exotel']);
    const c = [...runtime('exotel').calls.values()].find((x) => x.status === 'in_progress')!;
    await h!.request('calls.view', { callKey: c.key });
    await run(5_000);
    sim('exotel').injectFault({ kind: 'status', status: 429, retryAfterSec: 5, times: 1, match: /\/calls\/active$/ });
    await run(15_000);
    const log = sim('exotel').log;
    const refused = log.find((l) => l.status === 429)!;
    const t = at(refused);
    const window = log.filter((l) => at(l) > t && at(l) < t + 5_000);
    expect(window.filter((l) => l.path.startsWith('/v3/')).map(line)).toEqual([]);
    expect(window.filter((l) => /ActiveLegs/.test(l.path)).length).toBeGreaterThan(0);
    const after = log.filter((l) => at(l) >= t + 5_000);
    expect(after.some((l) => /\/calls\/active$/.test(l.path))).toBe(true);
    expect(after.some((l) => /\/stream$/.test(l.path))).toBe(true);
  }, 60_000);

  it('Engage Voice: a 429 on the call list holds the agent feed and the calls it controls; a held click says how long and goes once', async () => {
    await boot(['engage-voice']);
    const notices: EventPayload<'notice'>[] = [];
    h!.app.core.dispatcher.subscribe((name, payload) => {
      if (name === 'notice') notices.push(payload as EventPayload<'notice'>);
    });
    sim('engage-voice').injectFault({ kind: 'status', status: 429, retryAfterSec: 12, times: 1, match: /activeCalls\/list$/ });
    await run(6_000);
    const log = sim('engage-voice').log;
    const refused = log.find((l) => l.status === 429)!;
    expect(refused).toBeDefined();
    const t = at(refused);
    // A click in the window: held, told, and sent once when the window ends.
    const call = [...runtime('engage-voice').calls.values()].find((c) => c.status === 'in_progress')!;
    const monitoring = h!.request('calls.monitor', { callKey: call.key, mode: 'listen' });
    await run(200);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toMatch(/Listen waits \d+ s/);
    expect(notices[0]!.waitMs).toBeGreaterThan(4_000);
    expect((await settle(monitoring)).ok).toBe(true);
    await run(10_000);
    const api = log.filter((l) => /\/api\/v1\//.test(l.path));
    expect(api.filter((l) => at(l) > t && at(l) < t + 12_000).map(line)).toEqual([]);
    const sessions = api.filter((l) => /addSessionToCall$/.test(l.path));
    expect(sessions).toHaveLength(1);
    expect(at(sessions[0]!)).toBeGreaterThanOrEqual(t + 12_000);
    expect(api.some((l) => /realTimeData\/agent$/.test(l.path) && at(l) >= t + 12_000)).toBe(true);
  }, 60_000);

  it('Exotel: keeps to the vendor’s own X-RateLimit-Limit once told, and sends a click once', async () => {
    // Switchboard set far above what Exotel allows; the simulator enforces 200 (voice) and 300 (GETs) a minute.
    await boot(['exotel'], { visibleIntervals: GREEDY, budgetPerMinute: { exotel: 900 } });
    const ex = h!.centre.byVendor('exotel').sim as unknown as { rateLimit: { enforce: boolean } };
    ex.rateLimit.enforce = true;
    const viewed = [...runtime('exotel').calls.values()].find((x) => x.status === 'in_progress')!;
    await h!.request('calls.view', { callKey: viewed.key });
    await run(90_000, 250);
    const s = h!.app.core.engine.scheduler(idOf('exotel'))!;
    const published = { voice: 200, get: 300 } as const;
    let taught = 0;
    for (const id of ['voice', 'get'] as const) {
      const refusals = sim('exotel').log.filter((l) => l.status === 429 && (id === 'get') === l.path.startsWith('/v3/'));
      if (refusals.length === 0) continue;
      taught += 1;
      // The 429's X-RateLimit-Limit is the figure the bucket keeps to from then on: a stray refusal at most.
      expect(s.bucket(id)!.view().perMinute, id).toBe(published[id]);
      expect(refusals.filter((l) => at(l) > at(refusals[0]!) + 60_000).length, id).toBeLessThanOrEqual(1);
    }
    expect(taught).toBeGreaterThan(0);
    const call = [...runtime('exotel').calls.values()].find((x) => x.status === 'in_progress' && x.agentKey && x.key !== viewed.key)!;
    const from = sim('exotel').log.length;
    expect((await settle(h!.request('calls.monitor', { callKey: call.key, mode: 'listen' }))).ok).toBe(true);
    expect(sim('exotel').log.slice(from).filter((l) => /\/Legs(\.json)?$/.test(l.path) && l.method === 'POST')).toHaveLength(1);
  }, 120_000);
});

describe('connection tests', () => {
  it('a running account’s test reuses its session: no login, however many Test clicks', async () => {
    await boot(['engage-voice', 'livevox']);
    for (const v of ['engage-voice', 'livevox'] as Vendor[]) {
      const before = sim(v).calls(/oauth\/token|auth\/login|token\/refresh|session\/login/).length;
      for (let i = 0; i < 6; i++) expect(await settle(h!.request('accounts.test', { id: idOf(v) }))).toMatchObject({ ok: true, value: { ok: true } });
      expect(sim(v).calls(/oauth\/token|auth\/login|token\/refresh|session\/login/).length, v).toBe(before);
    }
  }, 60_000);

  it('tests of an account that is not running share one login, and keep to the exchange’s 5 a minute', async () => {
    clock = new VirtualClock();
    h = await startHarness({ vendors: ['engage-voice'], clock });
    const a = h.centre.byVendor('engage-voice');
    const off = { ...a.config, id: 'ev-off', label: 'Engage Voice (off)', enabled: false };
    expect((await h.request('accounts.save', { account: off, secrets: a.secrets })).ok).toBe(true);
    a.sim.server.clearLog();
    for (let i = 0; i < 6; i++) expect(await settle(h.request('accounts.test', { id: 'ev-off' }))).toMatchObject({ ok: true, value: { ok: true } });
    expect(a.sim.server.calls(/auth\/login\/rc\/accesstoken$/)).toHaveLength(1);
    // Every token refused from now on: each Test refreshes, and the sixth in a minute waits its turn.
    for (let i = 0; i < 6; i++) {
      a.sim.server.injectFault({ kind: 'expire_auth' });
      expect(await settle(h.request('accounts.test', { id: 'ev-off' }))).toMatchObject({ ok: true, value: { ok: true } });
    }
    const auth = a.sim.server.log.filter((l) => /\/api\/auth\//.test(l.path));
    expect(auth.filter((l) => l.status === 429)).toEqual([]);
    expect(auth).toHaveLength(7);
    // Never six in a minute: the scheduler's login bucket granted at most five in any window (the
    // simulator's arrival times lag their grants by up to a step of the virtual clock).
    const bucket = h.app.core.engine.scheduler('ev-off')!.bucket('login')!;
    expect(bucket.stats.peak).toBe(5);
    expect(at(auth[6]!) - at(auth[1]!)).toBeGreaterThanOrEqual(59_000);
  }, 60_000);
});

describe('one vendor never waits on another', () => {
  it('monitoring an Engage Voice call goes at once while the LiveVox session it replaces waits out LiveVox’s rate limit', async () => {
    await boot(['engage-voice', 'livevox']);
    const lvCall = [...runtime('livevox').calls.values()].find((c) => c.status === 'in_progress')!;
    expect((await settle(h!.request('calls.monitor', { callKey: lvCall.key, mode: 'listen' }))).ok).toBe(true);
    sim('livevox').injectFault({ kind: 'status', status: 429, retryAfterSec: 30, times: 1, match: /agents\/status$/ });
    await run(4_000);
    expect(sim('livevox').log.some((l) => l.status === 429)).toBe(true);
    const evCall = [...runtime('engage-voice').calls.values()].find((c) => c.status === 'in_progress')!;
    const from = sim('livevox').log.length;
    const c = await click('engage-voice', /addSessionToCall$/, () => h!.request('calls.monitor', { callKey: evCall.key, mode: 'listen' }));
    expect((await settle(c.result)).ok).toBe(true);
    // LiveVox heard nothing yet: ending its session waits for its own window.
    expect(sim('livevox').log.slice(from).map(line)).toEqual([]);
    await run(30_000, 250);
    expect(sim('livevox').log.slice(from).some((l) => /monitor\/state$/.test(l.path))).toBe(true);
  }, 60_000);
});

describe('poll pace', () => {
  it('Engage Voice polls calls every 5 s in view, as RingCX advises, or faster when the account asks', async () => {
    await boot(['engage-voice']);
    const lists = () => sim('engage-voice').calls(/activeCalls\/list$/).length;
    let before = lists();
    await run(60_000, 250);
    expect(lists() - before).toBeGreaterThanOrEqual(11);
    expect(lists() - before).toBeLessThanOrEqual(13);
    const a = h!.centre.byVendor('engage-voice');
    expect((await h!.request('accounts.save', { account: { ...a.config, pollEverySec: 2 }, secrets: {} })).ok).toBe(true);
    await run(3_000);
    before = lists();
    await run(60_000, 250);
    expect(lists() - before).toBeGreaterThanOrEqual(28);
    expect(lists() - before).toBeLessThanOrEqual(31);
  }, 60_000);

  it('a vendor that stops answering is stale after three missed polls at its normal pace: retries are not the limit', async () => {
    await boot(['livevox'], { timeoutMs: 10_000 }, { calls: 8, agents: 8 });
    // Polls settled at their pace, so a failing poll's retries (four requests each) wait for the bucket.
    await run(2_000);
    const rt = runtime('livevox');
    const lastData = rt.health.dataAt!;
    sim('livevox').injectFault({ kind: 'drop' });
    while (!rt.stale() && clock.now() - lastData < 60_000) await run(100);
    // Three 3 s rounds plus the 10 s timeout; each failing poll retried (four requests) must not read as
    // "slowed by the limit" and stretch the stale line.
    expect(clock.now() - lastData).toBeLessThanOrEqual(3 * 3_000 + 10_000 + 200);
    expect(rt.pace()).toBeNull();
  }, 60_000);

  it('a bulk agent action adds no poll: the result shows at once and the next scheduled poll confirms it', async () => {
    await boot(['livevox'], {}, { calls: 4, agents: 20 });
    const picked = [...runtime('livevox').agents.values()].filter((a) => a.state === 'ready').slice(0, 3);
    expect(picked).toHaveLength(3);
    const from = sim('livevox').log.length;
    const r = await h!.request('agents.action', { agentKeys: picked.map((a) => a.key), action: { type: 'notReady', reason: 'LUNCH' } });
    expect(r.ok).toBe(true);
    expect(sim('livevox').log.slice(from).map(line)).toEqual([expect.stringMatching(/agent\/status\/notReady$/)]);
    for (const a of picked) expect(runtime('livevox').agents.get(a.key)).toMatchObject({ state: 'not_ready', reason: 'LUNCH' });
  }, 60_000);
});
