// Every simulator fault, on every vendor, during polling and during each class of action: health
// shows it, the console keeps answering, polling recovers by itself, an action is never sent twice
// (unknown outcomes are reported as unknown) and every attempt is in the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENDORS, type Agent, type Call, type Vendor } from '../../main/domain/model.js';
import type { Clock } from '../../main/engine/clock.js';
import type { AuditEntry } from '../../main/engine/audit-log.js';
import type { SimulatedAccount } from '../../main/demo/simulated-centre.js';
import type { Fault } from '../../main/vendors/shared/sim-server.js';
import type { AccountView } from '../../preload/contract.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';

/** Real time, but backoff and Retry-After waits shortened, so a fault matrix runs in seconds. */
const fastClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))) };
/**
 * Real timers for an engine left to run on its own: every wait it makes (poll interval, backoff,
 * Retry-After) is a real setTimeout, capped at 200 ms so a fault shows and clears in about a second.
 */
const liveClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 200))) };

type FaultName = 'latency 5 s' | '429 Retry-After' | '500' | '503' | 'dropped connection' | 'malformed body' | 'expired auth';
const FAULTS: Record<FaultName, (match: RegExp, times?: number) => Fault> = {
  'latency 5 s': (match, times) => ({ kind: 'latency', ms: 5_000, match, ...(times ? { times } : {}) }),
  '429 Retry-After': (match, times) => ({ kind: 'status', status: 429, retryAfterSec: 2, match, ...(times ? { times } : {}) }),
  '500': (match, times) => ({ kind: 'status', status: 500, match, ...(times ? { times } : {}) }),
  '503': (match, times) => ({ kind: 'status', status: 503, match, ...(times ? { times } : {}) }),
  'dropped connection': (match, times) => ({ kind: 'drop', match, ...(times ? { times } : {}) }),
  'malformed body': (match, times) => ({ kind: 'malformed', match, ...(times ? { times } : {}) }),
  'expired auth': () => ({ kind: 'expire_auth' }),
};
const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

/** What a call action's outcome must be under each fault (expired auth: re-login, then it succeeds). */
const ACTION_OUTCOME: Record<FaultName, string> = {
  'latency 5 s': 'outcome_unknown',
  '429 Retry-After': 'rate_limited',
  '500': 'outcome_unknown',
  '503': 'vendor_unavailable',
  'dropped connection': 'outcome_unknown',
  'malformed body': 'outcome_unknown',
  'expired auth': 'ok',
};

type Outcome = { ok: boolean; error?: { code: string } };

interface ActionCase {
  label: string;
  /** The request that carries the action (the one the fault hits and that must be sent once). */
  route: RegExp;
  /** The audit entry the attempt must leave. */
  audit: string;
  /** Outcomes that differ from ACTION_OUTCOME for this action (a 2xx with an unreadable body on a
   * request whose success has no body is simply success). */
  override?: Partial<Record<FaultName, string>>;
  /** Runs before the fault is armed (the session a stop or mode change acts on); returns its call key. */
  setup?: (h: Harness) => Promise<string>;
  run: (h: Harness, prepared: string | null) => Promise<Outcome>;
}

const LIST = /activeCalls\/list|\/calls\/active|\/channels$|agents\/status/;

/**
 * Each case acts on a call (or an agent) no earlier case has touched: an action whose outcome is
 * unknown may still land on the vendor seconds later (the latency fault answers after 5 s), and
 * must not decide the outcome of a later case.
 */
const used = new Set<string>();
function freshCall(h: Harness, vendor: Vendor): Call {
  const c = h.app.core.engine.calls().find((x) => x.vendor === vendor && x.status === 'in_progress' && x.sessions.length === 0 && !used.has(x.key));
  if (!c) throw new Error(`no untouched ${vendor} call left for this case`);
  used.add(c.key);
  return c;
}
function freshAgent(h: Harness, vendor: Vendor): Agent {
  const a = h.app.core.engine.agents().find((x) => x.vendor === vendor && x.state === 'ready' && !used.has(x.key));
  if (!a) throw new Error(`no untouched ready ${vendor} agent left for this case`);
  used.add(a.key);
  return a;
}
const readyAgents = (h: Harness) => h.app.core.engine.agents().filter((a) => a.vendor === 'livevox' && a.state === 'ready');

/** Setup: the supervisor monitors a fresh call, with no fault armed. */
async function monitoring(h: Harness, vendor: Vendor, mode: 'listen' | 'whisper' | 'barge'): Promise<string> {
  const key = freshCall(h, vendor).key;
  const r = await h.request('calls.monitor', { callKey: key, mode });
  if (!r.ok) throw new Error(`setup: could not ${mode} on ${key}: ${JSON.stringify(r.error)}`);
  return key;
}
const keyOf = (prepared: string | null): string => {
  if (prepared === null) throw new Error('this case needs its setup');
  return prepared;
};

const ACTIONS: Record<Vendor, ActionCase[]> = {
  'engage-voice': [
    { label: 'monitor', route: /addSessionToCall$/, audit: 'monitor.listen', run: (h) => h.request('calls.monitor', { callKey: freshCall(h, 'engage-voice').key, mode: 'listen' }) },
    {
      label: 'call action',
      route: /toggleCallRecording$/,
      audit: 'call.recording',
      run: (h) => h.request('calls.action', { callKey: freshCall(h, 'engage-voice').key, action: { type: 'recording', on: true } }),
    },
    {
      label: 'disposition',
      route: /dispositionCall$/,
      audit: 'call.disposition',
      run: (h) => h.request('calls.action', { callKey: freshCall(h, 'engage-voice').key, action: { type: 'disposition', disposition: 'Resolved', notes: 'fault matrix', callback: false } }),
    },
    {
      label: 'manual agent call',
      route: /createManualAgentCall$/,
      audit: 'call.manualAgentCall',
      run: (h) =>
        h.request('accounts.manualCall', {
          accountId: h.centre.byVendor('engage-voice').config.id,
          call: { username: freshAgent(h, 'engage-voice').loginId, destination: '+15550100123', ringDuration: 30, callerId: '+15550100200' },
        }),
    },
    {
      label: 'monitor stop',
      route: /hangupSession$/,
      audit: 'monitor.stop',
      setup: (h) => monitoring(h, 'engage-voice', 'whisper'),
      run: (h, key) => h.request('calls.stopMonitor', { callKey: keyOf(key) }),
    },
  ],
  exotel: [
    { label: 'monitor', route: /^POST .*\/Legs(\.json)?$/, audit: 'monitor.whisper', run: (h) => h.request('calls.monitor', { callKey: freshCall(h, 'exotel').key, mode: 'whisper' }) },
    {
      // Upgraded in place: PUT .../Legs/<monitor leg> {Action: barge}.
      label: 'mode change',
      route: /^PUT .*\/Legs\/[^/]+$/,
      audit: 'monitor.barge',
      setup: (h) => monitoring(h, 'exotel', 'listen'),
      run: (h, key) => h.request('calls.monitor', { callKey: keyOf(key), mode: 'barge' }),
    },
    {
      // PUT .../Legs/<monitor leg> {Action: hangup}.
      label: 'monitor stop',
      route: /^PUT .*\/Legs\/[^/]+$/,
      audit: 'monitor.stop',
      setup: (h) => monitoring(h, 'exotel', 'listen'),
      run: (h, key) => h.request('calls.stopMonitor', { callKey: keyOf(key) }),
    },
    {
      // ActiveLegs, then PUT {Action: hangup} on each call leg: the fault hits the first, which decides.
      label: 'call action',
      route: /^PUT .*\/Legs\/[^/]+$/,
      audit: 'call.hangup',
      run: (h) => h.request('calls.action', { callKey: freshCall(h, 'exotel').key, action: { type: 'hangup' } }),
    },
  ],
  audian: [
    { label: 'monitor', route: /\/conference$/, audit: 'monitor.barge', run: (h) => h.request('calls.monitor', { callKey: freshCall(h, 'audian').key, mode: 'barge' }) },
    {
      label: 'call action',
      route: /\/play-audio$/,
      audit: 'call.play',
      run: (h) => h.request('calls.action', { callKey: freshCall(h, 'audian').key, action: { type: 'play', message: 'Hello', participant: 'both' } }),
    },
    {
      // The supervisor's own conference participant is removed.
      label: 'monitor stop',
      route: /\/participants\/[^/]+\/remove$/,
      audit: 'monitor.stop',
      setup: (h) => monitoring(h, 'audian', 'barge'),
      run: (h, key) => h.request('calls.stopMonitor', { callKey: keyOf(key) }),
    },
  ],
  livevox: [
    {
      label: 'agent action',
      route: /status\/ready$/,
      audit: 'agent.ready',
      run: async (h) => {
        const r = await h.request('agents.action', { agentKeys: [readyAgents(h)[0]!.key], action: { type: 'ready' } });
        const per = (r.value as { ok: boolean; code: string | null }[] | undefined)?.[0];
        return per?.ok ? { ok: true } : { ok: false, error: { code: r.ok ? (per?.code ?? 'missing') : r.error!.code } };
      },
    },
    { label: 'chat', route: /chat\/send$/, audit: 'chat.send', override: { 'malformed body': 'ok' }, run: (h) => h.request('chat.send', { agentKey: readyAgents(h)[1]!.key, message: 'Hi' }) },
    {
      // monitor/state, monitor/start when the audio path is down, then the verb by agent; the verb's
      // success has no body to read.
      label: 'monitor',
      route: /\/monitor\/listen$/,
      audit: 'monitor.listen',
      override: { 'malformed body': 'ok' },
      run: (h) => h.request('calls.monitor', { callKey: freshCall(h, 'livevox').key, mode: 'listen' }),
    },
    {
      // In place: only the other verb (coach) on the same audio path.
      label: 'mode change',
      route: /\/monitor\/coach$/,
      audit: 'monitor.whisper',
      override: { 'malformed body': 'ok' },
      setup: (h) => monitoring(h, 'livevox', 'listen'),
      run: (h, key) => h.request('calls.monitor', { callKey: keyOf(key), mode: 'whisper' }),
    },
  ],
};

/** A fault matrix makes hundreds of requests a minute; the budget has its own tests. */
const unlimited = { 'engage-voice': 100_000, exotel: 100_000, audian: 100_000, livevox: 100_000 };

let h: Harness;
beforeAll(async () => {
  // Enough calls that every action case gets one of its own.
  h = await startHarness({ calls: 60, agents: 80, clock: fastClock, engine: { timeoutMs: 400, budgetPerMinute: unlimited } });
  for (const a of h.centre.accounts) {
    const rt = h.app.core.engine.runtime(a.config.id)!;
    await rt.pollCalls();
    if (rt.connector.capabilities['agents.list'].supported) await rt.pollAgents();
  }
}, 30_000);
afterAll(() => h.stop());

const views = async (on: Harness) => (await on.request('accounts.list', {})).value as AccountView[];
const view = async (id: string, on: Harness = h) => (await views(on)).find((v) => v.config.id === id)!;
const auditEntries = async () => ((await h.request('audit.list', { limit: 10_000 })).value as { entries: AuditEntry[] }).entries;
const sentTo = (a: SimulatedAccount, route: RegExp) => a.sim.server.calls().filter((l) => route.test(l) || route.test(l.split(' ')[1] ?? ''));

async function until(what: string, cond: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** accounts.list answers, and quickly, whatever is in flight. */
async function expectResponsive(on: Harness): Promise<void> {
  const t0 = Date.now();
  expect((await on.request('accounts.list', {})).ok).toBe(true);
  expect(Date.now() - t0).toBeLessThan(250);
}

describe.each(VENDORS)('%s', (vendor) => {
  describe.each(FAULT_NAMES)('%s', (fault) => {
    it('during polling: health shows it, the console answers, and polling recovers when it clears', async () => {
      const a = h.centre.byVendor(vendor);
      const rt = h.app.core.engine.runtime(a.config.id)!;
      a.sim.server.injectFault(FAULTS[fault](LIST));
      const polling = rt.pollCalls();
      await expectResponsive(h);
      await polling;
      if (fault === 'expired auth') {
        // Re-authenticated inside the poll: the supervisor sees nothing.
        expect((await view(a.config.id)).health).toBe('ok');
      } else {
        await rt.pollCalls();
        const v = await view(a.config.id);
        expect(v.health, v.healthDetail ?? '').not.toBe('ok');
        expect(v.healthDetail).toBeTruthy();
      }
      a.sim.server.clearFaults();
      await rt.pollCalls();
      expect(await view(a.config.id)).toMatchObject({ health: 'ok', healthDetail: null });
    });

    it.each(ACTIONS[vendor].map((c) => [c.label, c] as const))('during a %s: sent once, outcome as it is, audited', async (_label, c) => {
      const a = h.centre.byVendor(vendor);
      const prepared = c.setup ? await c.setup(h) : null;
      const auditedBefore = (await auditEntries()).length;
      a.sim.server.clearLog();
      a.sim.server.injectFault(FAULTS[fault](c.route, 1));
      const pending = c.run(h, prepared);
      if (fault === 'latency 5 s') {
        // The console keeps answering while the action waits on a vendor that has it and is silent.
        let settled = false;
        void pending.then(() => (settled = true));
        await until('the action to reach the vendor', () => sentTo(a, c.route).length > 0, 1_000);
        await expectResponsive(h);
        expect(settled, 'the slow action was still in flight').toBe(false);
      }
      const r = await pending;
      a.sim.server.clearFaults();
      const expected = c.override?.[fault] ?? ACTION_OUTCOME[fault];
      if (expected === 'ok') {
        expect(r.ok, JSON.stringify(r.error)).toBe(true);
        // Accepted exactly once (an expired credential is refused first and applied nowhere).
        expect(a.sim.server.log.filter((l) => c.route.test(`${l.method} ${l.path}`) && l.status < 300)).toHaveLength(1);
      } else {
        expect(r.error?.code).toBe(expected);
        expect(sentTo(a, c.route)).toHaveLength(1);
      }
      // One attempt, one audit entry, with the outcome as it is.
      const entries = await auditEntries();
      expect(entries.length - auditedBefore).toBe(1);
      expect(entries[0]).toMatchObject({ action: c.audit, outcome: expected === 'ok' ? 'ok' : expected === 'outcome_unknown' ? 'unknown' : 'failed' });
      // Leave nothing behind for the next case (a vendor that cannot end a session keeps it; one
      // whose outcome is unknown is possibly active, and Audian may not be able to find it: the
      // supervisor is told to hang up).
      for (const s of h.app.core.engine.calls().flatMap((x) => x.sessions.filter((y) => y.own))) {
        const rt = h.app.core.engine.runtime(s.accountId)!;
        const stopped = await h.request('calls.stopMonitor', { callKey: s.callKey });
        const toldToHangUp = s.possiblyActive === true && stopped.error?.code === 'unsupported';
        if (rt.connector.capabilities['monitor.stop'].supported) expect(stopped.ok || toldToHangUp, `clean-up: ${JSON.stringify(stopped.error)}`).toBe(true);
      }
    });
  });
});

// The engine left to run on its own: no poll is called by hand, its pollers find each fault and,
// once it clears, bring the account back to ok by themselves.
describe('with the engine running', () => {
  let live: Harness;
  beforeAll(async () => {
    live = await startHarness({ calls: 10, agents: 10, seed: 7, clock: liveClock, engine: { timeoutMs: 400, budgetPerMinute: unlimited } });
    live.app.core.engine.start();
    await until('every account to be ok', async () => (await views(live)).every((v) => v.health === 'ok' && !v.stale), 10_000);
  }, 30_000);
  afterAll(() => live.stop());

  it.concurrent.for(VENDORS)('%s: its pollers show every fault and recover by themselves when it clears', async (vendor, { expect }) => {
    const a = live.centre.byVendor(vendor);
    const id = a.config.id;
    for (const fault of FAULT_NAMES) {
      if (fault === 'expired auth') {
        // Repaired inside the running polls: a 401, then lists answered again, and no health change.
        const fromEvent = live.events.length;
        const fromLog = a.sim.server.log.length;
        a.sim.server.injectFault(FAULTS[fault](LIST));
        await until(`${vendor}: a list answered after the 401`, () => {
          const after = a.sim.server.log.slice(fromLog);
          const refused = after.findIndex((l) => l.status === 401);
          return refused >= 0 && after.slice(refused + 1).some((l) => LIST.test(`${l.method} ${l.path}`) && l.status === 200);
        }, 5_000);
        const seen = live.events
          .slice(fromEvent)
          .filter((e) => e.name === 'accounts.changed')
          .flatMap((e) => (e.payload as AccountView[]).filter((v) => v.config.id === id).map((v) => v.health));
        expect(seen.filter((x) => x !== 'ok'), `${vendor}: health during re-login`).toEqual([]);
        expect(await view(id, live)).toMatchObject({ health: 'ok', healthDetail: null, stale: false });
        continue;
      }
      a.sim.server.injectFault(FAULTS[fault](LIST));
      await until(`${vendor}: ${fault} to show in health`, async () => (await view(id, live)).health !== 'ok', 8_000);
      expect((await view(id, live)).healthDetail, `${vendor}: ${fault}`).toBeTruthy();
      const t0 = Date.now();
      expect((await live.request('accounts.list', {})).ok).toBe(true);
      expect(Date.now() - t0, `${vendor}: accounts.list during ${fault}`).toBeLessThan(250);
      a.sim.server.clearFaults();
      await until(`${vendor}: recovery from ${fault}`, async () => {
        const v = await view(id, live);
        return v.health === 'ok' && v.healthDetail === null && !v.stale;
      }, 5_000);
    }
  });
});
