// An unreadable vendor reply, through the whole engine: whether it leaves an action's outcome unknown
// depends on what it answered. A read made before any action went out (Exotel's ActiveLegs, LiveVox's
// monitor/state, the Engage Voice login) changed nothing, so it is a plain bad_response; the 2xx answer
// to the action itself means the vendor probably applied it, so that outcome is unknown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Vendor } from '../../main/domain/model.js';
import type { AuditEntry } from '../../main/engine/audit-log.js';
import type { Clock } from '../../main/engine/clock.js';
import type { LiveVoxSimulator } from '../../main/vendors/livevox/simulator.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';

/** Real time, but backoff waits shortened. */
const fastClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))) };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ calls: 12, agents: 30, clock: fastClock, engine: { timeoutMs: 400 } });
  for (const a of h.centre.accounts) await h.app.core.engine.runtime(a.config.id)!.pollCalls();
}, 30_000);
afterAll(() => h.stop());

const callOf = (vendor: Vendor) => h.app.core.engine.calls().find((c) => c.vendor === vendor && c.status === 'in_progress' && c.sessions.length === 0)!;
/**
 * The newest entry for monitor.listen: a session left possibly active by an earlier case is ended
 * (monitor.stop) before the next one starts, and that stop is logged after the listen's intent.
 */
const lastAudit = async () => ((await h.request('audit.list', { limit: 10 })).value as { entries: AuditEntry[] }).entries.find((e) => e.action === 'monitor.listen')!;

interface Case {
  vendor: Vendor;
  /** Requests answered with an unreadable 2xx body. */
  garbled: RegExp;
  /** The action that must (not) have been sent. */
  action: RegExp;
  before?: (h: Harness) => void;
}

async function monitorWithGarbled(c: Case) {
  const sim = h.centre.byVendor(c.vendor).sim;
  sim.server.clearLog();
  c.before?.(h);
  sim.server.injectFault({ kind: 'malformed', times: 1, match: c.garbled });
  const r = await h.request('calls.monitor', { callKey: callOf(c.vendor).key, mode: 'listen' });
  sim.server.clearFaults();
  const accepted = sim.server.log.filter((l) => c.action.test(`${l.method} ${l.path}`) && l.status >= 200 && l.status < 300);
  return { r, sent: sim.server.calls().filter((l) => c.action.test(l)), accepted };
}

describe('an unreadable read before any action was sent', () => {
  it.each<Case>([
    { vendor: 'exotel', garbled: /^GET .*\/ActiveLegs(\.json)?$/, action: /^POST .*\/Legs(\.json)?$/ },
    { vendor: 'livevox', garbled: /^GET .*\/monitor\/state$/, action: /^POST .*\/monitor\/(start|listen)/ },
    {
      vendor: 'engage-voice',
      // The token is expired, so the action waits for a login whose answer cannot be read.
      garbled: /^POST \/api\/auth\/(login\/rc\/accesstoken|token\/refresh)/,
      action: /addSessionToCall$/,
      before: (hh) => hh.centre.byVendor('engage-voice').sim.server.injectFault({ kind: 'expire_auth' }),
    },
  ])('$vendor: bad_response, audited as failed, and the action was never applied', async (c) => {
    const { r, accepted } = await monitorWithGarbled(c);
    expect(r.error?.code).toBe('bad_response');
    // (Engage Voice's action went out once and was refused with 401 before the login.)
    expect(accepted).toEqual([]);
    expect(await lastAudit()).toMatchObject({ action: 'monitor.listen', outcome: 'failed', error: { code: 'bad_response' } });
  });
});

describe('an unreadable 2xx answer to the action itself', () => {
  it.each<Case>([
    { vendor: 'exotel', garbled: /^POST .*\/Legs(\.json)?$/, action: /^POST .*\/Legs(\.json)?$/ },
    { vendor: 'engage-voice', garbled: /addSessionToCall$/, action: /addSessionToCall$/ },
    {
      vendor: 'livevox',
      garbled: /^POST .*\/monitor\/start$/,
      action: /^POST .*\/monitor\/start/,
      // The table's 200 {activeCall} form, so start has a body to garble.
      before: (hh) => {
        const sim = hh.centre.byVendor('livevox').sim as LiveVoxSimulator;
        sim.state.variants.monitorStartStatus = 200;
        sim.state.monitor.activeCall = false;
      },
    },
  ])('$vendor: outcome_unknown, audited as unknown, sent once', async (c) => {
    const { r, sent } = await monitorWithGarbled(c);
    expect(r.error?.code).toBe('outcome_unknown');
    expect(sent).toHaveLength(1);
    expect(await lastAudit()).toMatchObject({ action: 'monitor.listen', outcome: 'unknown', error: { code: 'outcome_unknown' } });
  });
});
