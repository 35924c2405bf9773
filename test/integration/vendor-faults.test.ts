// Every simulator fault, on every vendor, during polling and during each class of action: health
// shows it, the console keeps answering, polling recovers by itself, an action is never sent twice
// (unknown outcomes are reported as unknown) and every attempt is in the audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vendor } from '../../main/domain/model.js';
import type { Clock } from '../../main/engine/clock.js';
import type { AuditEntry } from '../../main/engine/audit-log.js';
import type { Fault } from '../../main/vendors/shared/sim-server.js';
import type { AccountView } from '../../preload/contract.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';

/** Real time, but backoff and Retry-After waits shortened, so a fault matrix runs in seconds. */
const fastClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))) };

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

interface ActionCase {
  label: string;
  route: RegExp;
  /** Outcomes that differ from ACTION_OUTCOME for this action (a 2xx with an unreadable body on a
   * request whose success has no body is simply success). */
  override?: Partial<Record<FaultName, string>>;
  run: (h: Harness) => Promise<{ ok: boolean; error?: { code: string } }>;
}

const LIST = /activeCalls\/list|\/calls\/active|\/channels$|agents\/status/;
const callOf = (h: Harness, vendor: Vendor, n: number) => h.app.core.engine.calls().filter((c) => c.vendor === vendor && c.status === 'in_progress' && c.sessions.length === 0)[n]!;
const readyAgents = (h: Harness) => h.app.core.engine.agents().filter((a) => a.vendor === 'livevox' && a.state === 'ready');

const ACTIONS: Record<Vendor, ActionCase[]> = {
  'engage-voice': [
    { label: 'monitor', route: /addSessionToCall$/, run: (h) => h.request('calls.monitor', { callKey: callOf(h, 'engage-voice', 0).key, mode: 'listen' }) },
    { label: 'call action', route: /toggleCallRecording$/, run: (h) => h.request('calls.action', { callKey: callOf(h, 'engage-voice', 1).key, action: { type: 'recording', on: true } }) },
  ],
  exotel: [{ label: 'monitor', route: /^POST .*\/Legs(\.json)?$/, run: (h) => h.request('calls.monitor', { callKey: callOf(h, 'exotel', 0).key, mode: 'whisper' }) }],
  audian: [
    { label: 'monitor', route: /\/conference$/, run: (h) => h.request('calls.monitor', { callKey: callOf(h, 'audian', 0).key, mode: 'barge' }) },
    { label: 'call action', route: /\/play-audio$/, run: (h) => h.request('calls.action', { callKey: callOf(h, 'audian', 1).key, action: { type: 'play', message: 'Hello', participant: 'both' } }) },
  ],
  livevox: [
    { label: 'agent action', route: /status\/ready$/, run: async (h) => {
      const r = await h.request('agents.action', { agentKeys: [readyAgents(h)[0]!.key], action: { type: 'ready' } });
      const per = (r.value as { ok: boolean; code: string | null }[] | undefined)?.[0];
      return per?.ok ? { ok: true } : { ok: false, error: { code: r.ok ? (per?.code ?? 'missing') : r.error!.code } };
    } },
    { label: 'chat', route: /chat\/send$/, override: { 'malformed body': 'ok' }, run: (h) => h.request('chat.send', { agentKey: readyAgents(h)[1]!.key, message: 'Hi' }) },
  ],
};

let h: Harness;
beforeAll(async () => {
  // A fault matrix makes hundreds of requests a minute; the budget has its own tests.
  const unlimited = { 'engage-voice': 100_000, exotel: 100_000, audian: 100_000, livevox: 100_000 };
  h = await startHarness({ calls: 30, agents: 80, clock: fastClock, engine: { timeoutMs: 400, budgetPerMinute: unlimited } });
  for (const a of h.centre.accounts) {
    const rt = h.app.core.engine.runtime(a.config.id)!;
    await rt.pollCalls();
    if (rt.connector.capabilities['agents.list'].supported) await rt.pollAgents();
  }
}, 30_000);
afterAll(() => h.stop());

const view = async (id: string) => ((await h.request('accounts.list', {})).value as AccountView[]).find((v) => v.config.id === id)!;
const audit = async () => ((await h.request('audit.list', { limit: 5 })).value as { entries: AuditEntry[] }).entries;

describe.each(['engage-voice', 'exotel', 'audian', 'livevox'] as Vendor[])('%s', (vendor) => {
  describe.each(FAULT_NAMES)('%s', (fault) => {
    it('during polling: health shows it, the console answers, and polling recovers when it clears', async () => {
      const a = h.centre.byVendor(vendor);
      const rt = h.app.core.engine.runtime(a.config.id)!;
      a.sim.server.injectFault(FAULTS[fault](LIST));
      const polling = rt.pollCalls();
      const t0 = Date.now();
      expect((await h.request('accounts.list', {})).ok).toBe(true);
      expect(Date.now() - t0).toBeLessThan(250);
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
      a.sim.server.clearLog();
      a.sim.server.injectFault(FAULTS[fault](c.route, 1));
      const r = await c.run(h);
      a.sim.server.clearFaults();
      const sent = a.sim.server.calls().filter((l) => c.route.test(l) || c.route.test(l.split(' ')[1] ?? ''));
      const expected = c.override?.[fault] ?? ACTION_OUTCOME[fault];
      if (expected === 'ok') {
        expect(r.ok, JSON.stringify(r.error)).toBe(true);
        // Accepted exactly once (an expired credential is refused first and applied nowhere).
        expect(a.sim.server.log.filter((l) => c.route.test(`${l.method} ${l.path}`) && l.status < 300)).toHaveLength(1);
      } else {
        expect(r.error?.code).toBe(expected);
        expect(sent).toHaveLength(1);
      }
      const last = (await audit())[0]!;
      expect(last.outcome).toBe(expected === 'ok' ? 'ok' : expected === 'outcome_unknown' ? 'unknown' : 'failed');
      // Leave nothing behind for the next case.
      for (const s of h.app.core.engine.calls().flatMap((x) => x.sessions.filter((y) => y.own))) await h.request('calls.stopMonitor', { callKey: s.callKey });
    });
  });
});
