// Vendors that answer, but badly: headers at once and then the body one byte a second, or a body
// that never ends. On every vendor, through the whole engine: health turns degraded with a detail as
// soon as a request passes its timeout (before it has failed), a poll fails by its deadline, an
// action ends outcome_unknown and is audited, and an oversized answer is cut at its cap without
// being read whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VENDORS, type Call, type Vendor } from '../../main/domain/model.js';
import type { AuditEntry } from '../../main/engine/audit-log.js';
import type { SimulatedAccount } from '../../main/demo/simulated-centre.js';
import { LIST_MAX_RESPONSE_BYTES } from '../../main/vendors/shared/http.js';
import type { AccountView } from '../../preload/contract.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';

/** The engine's request timeout; HttpCore's deadline is three of them. */
const TIMEOUT_MS = 2_000;
const DEADLINE_MS = TIMEOUT_MS * 3;
const LIST = /activeCalls\/list|\/calls\/active|\/channels$|agents\/status/;
const unlimited = { 'engage-voice': 100_000, exotel: 100_000, audian: 100_000, livevox: 100_000 };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ calls: 12, agents: 16, seed: 11, engine: { timeoutMs: TIMEOUT_MS, budgetPerMinute: unlimited } });
  for (const a of h.centre.accounts) {
    const rt = h.app.core.engine.runtime(a.config.id)!;
    await rt.pollCalls();
    if (rt.connector.capabilities['agents.list'].supported) await rt.pollAgents();
  }
}, 30_000);
afterAll(() => h.stop());

const view = async (id: string) => ((await h.request('accounts.list', {})).value as AccountView[]).find((v) => v.config.id === id)!;
const audit = async () => ((await h.request('audit.list', { limit: 10_000 })).value as { entries: AuditEntry[] }).entries;

async function until(what: string, cond: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const inProgress = (vendor: Vendor): Call[] => h.app.core.engine.calls().filter((c) => c.vendor === vendor && c.status === 'in_progress' && c.sessions.length === 0);

/** One action per vendor, and the request that carries it (the one that trickles). */
const ACTIONS: Record<Vendor, { route: RegExp; audit: string; run: () => Promise<{ ok: boolean; error?: { code: string } }> }> = {
  'engage-voice': {
    route: /toggleCallRecording$/,
    audit: 'call.recording',
    run: () => h.request('calls.action', { callKey: inProgress('engage-voice')[0]!.key, action: { type: 'recording', on: true } }),
  },
  exotel: { route: /^POST .*\/Legs(\.json)?$/, audit: 'monitor.barge', run: () => h.request('calls.monitor', { callKey: inProgress('exotel')[0]!.key, mode: 'barge' }) },
  // A call action, not a second barge: the vendors run at once on one harness, and the supervisor's
  // one phone joins one call at a time (Exotel's barge holds it), so a barge here would be refused.
  audian: {
    route: /\/calls\/[^/]+\/hold$/,
    audit: 'call.hold',
    run: () => h.request('calls.action', { callKey: inProgress('audian')[0]!.key, action: { type: 'hold' } }),
  },
  livevox: {
    route: /status\/ready$/,
    audit: 'agent.ready',
    run: async () => {
      const agent = h.app.core.engine.agents().find((a) => a.vendor === 'livevox' && a.state === 'ready')!;
      const r = await h.request('agents.action', { agentKeys: [agent.key], action: { type: 'ready' } });
      const per = (r.value as { ok: boolean; code: string | null }[])[0]!;
      return per.ok ? { ok: true } : { ok: false, error: { code: per.code ?? 'missing' } };
    },
  },
};

const sentTo = (a: SimulatedAccount, route: RegExp) => a.sim.server.log.filter((l) => route.test(`${l.method} ${l.path}`) || route.test(l.path));

describe('a vendor that trickles its answer, one byte a second', () => {
  it.concurrent.for(VENDORS)('%s: a poll is degraded at its timeout with a detail and fails by its deadline; an action ends outcome_unknown, audited', async (vendor, { expect }) => {
    const a = h.centre.byVendor(vendor);
    const rt = h.app.core.engine.runtime(a.config.id)!;
    expect((await view(a.config.id)).health).toBe('ok');
    a.sim.server.injectFault({ kind: 'trickle', ms: 1_000, match: LIST });
    const t0 = Date.now();
    let settled = false;
    const polling = rt.pollCalls().then(() => (settled = true));
    await until(`${vendor}: health to leave ok`, async () => (await view(a.config.id)).health !== 'ok', DEADLINE_MS);
    const slowAt = Date.now() - t0;
    const slow = await view(a.config.id);
    // Degraded as the request passed its timeout, while it was still waiting.
    expect(settled, 'the poll was still waiting').toBe(false);
    expect(slowAt).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(slowAt).toBeLessThan(DEADLINE_MS - 1_000);
    expect(slow.health).toBe('degraded');
    expect(slow.healthDetail).toMatch(/slow: a request has waited more than 2 s .*gives up after 6 s/);
    await polling;
    const tookMs = Date.now() - t0;
    expect(tookMs).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(tookMs, 'failed by its deadline, not retried or left hanging').toBeLessThan(DEADLINE_MS + 3_000);
    const failed = await view(a.config.id);
    expect(failed.health).toBe('degraded');
    expect(failed.healthDetail).toMatch(/did not finish answering within 6 s/);
    // The vendor had started answering: headers and some of the body came, one byte at a time.
    expect(sentTo(a, LIST).some((l) => (l.sent ?? 0) >= 2)).toBe(true);
    a.sim.server.clearFaults();
    await rt.pollCalls();
    expect(await view(a.config.id)).toMatchObject({ health: 'ok', healthDetail: null });

    // Then an action, on the same vendor (after the poll, so neither decides the other's health).
    const c = ACTIONS[vendor];
    const before = (await audit()).filter((e) => e.accountId === a.config.id).length;
    const fromLog = a.sim.server.log.length;
    a.sim.server.injectFault({ kind: 'trickle', ms: 1_000, match: c.route, times: 1 });
    const t1 = Date.now();
    const r = await c.run();
    const actedMs = Date.now() - t1;
    a.sim.server.clearFaults();
    expect(r.error?.code, JSON.stringify(r.error)).toBe('outcome_unknown');
    expect(actedMs).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(actedMs).toBeLessThan(DEADLINE_MS + 3_000);
    expect(a.sim.server.log.slice(fromLog).filter((l) => c.route.test(`${l.method} ${l.path}`) || c.route.test(l.path))).toHaveLength(1);
    const mine = (await audit()).filter((e) => e.accountId === a.config.id);
    expect(mine.length - before).toBe(1);
    expect(mine[0]).toMatchObject({ action: c.audit, outcome: 'unknown', error: { code: 'outcome_unknown' } });
  });
});

describe('a vendor whose answer never ends (300 MB)', () => {
  // One vendor at a time: each cut holds up to the cap in memory until it is dropped.
  it.each(VENDORS)('%s: the list is cut at its cap with a clear error, the rest never read', async (vendor) => {
    const a = h.centre.byVendor(vendor);
    const rt = h.app.core.engine.runtime(a.config.id)!;
    const fromLog = a.sim.server.log.length;
    a.sim.server.injectFault({ kind: 'oversize', bytes: 300_000_000, match: LIST, times: 1 });
    await rt.pollCalls();
    const v = await view(a.config.id);
    expect(v.health).toBe('degraded');
    expect(v.healthDetail).toBe("The vendor's answer was larger than 64 MiB; Switchboard stopped reading it.");
    const flood = a.sim.server.log.slice(fromLog).find((l) => typeof l.sent === 'number')!;
    // Taken from the wire: the cap and what the sockets buffer, nowhere near the 300 MB on offer.
    expect(flood.sent).toBeGreaterThan(LIST_MAX_RESPONSE_BYTES);
    expect(flood.sent).toBeLessThan(LIST_MAX_RESPONSE_BYTES + 32 * 1024 * 1024);
    await rt.pollCalls();
    expect(await view(a.config.id)).toMatchObject({ health: 'ok', healthDetail: null });
  }, 30_000);
});
