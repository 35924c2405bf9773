// One click to listen, whisper or barge on each vendor, through the whole engine, with the request
// sequence each vendor needs checked at its simulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call, MonitorMode, Vendor } from '../../main/domain/model.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';

const AUTH = /api_auth|session\/login|oauth\/token|auth\/login|token\/refresh/;

interface Expect {
  start: Partial<Record<MonitorMode, RegExp[]>>;
  /** listen → barge */
  change: RegExp[];
  /** The requests of a stop, or the error code when the vendor cannot stop a session. */
  stop: RegExp[] | 'unsupported';
  unsupported: MonitorMode[];
  /** Requests that happen only the first time (LiveVox dials the supervisor once). */
  once?: RegExp;
}

const VENDORS: Record<Vendor, Expect> = {
  'engage-voice': {
    start: {
      listen: [/^POST .*\/activeCalls\/[^/]+\/addSessionToCall$/],
      whisper: [/^POST .*\/activeCalls\/[^/]+\/addSessionToCall$/],
      barge: [/^POST .*\/activeCalls\/[^/]+\/addSessionToCall$/],
    },
    // No in-place change: end the session, then add the new one.
    change: [/^POST .*\/activeCalls\/[^/]+\/hangupSession$/, /^POST .*\/activeCalls\/[^/]+\/addSessionToCall$/],
    stop: [/^POST .*\/activeCalls\/[^/]+\/hangupSession$/],
    unsupported: [],
  },
  livevox: {
    start: {
      listen: [/^GET .*\/supervisor\/monitor\/state$/, /^POST .*\/supervisor\/monitor\/listen$/],
      whisper: [/^GET .*\/supervisor\/monitor\/state$/, /^POST .*\/supervisor\/monitor\/coach$/],
      barge: [/^GET .*\/supervisor\/monitor\/state$/, /^POST .*\/supervisor\/monitor\/barge$/],
    },
    change: [/^POST .*\/supervisor\/monitor\/barge$/],
    stop: 'unsupported',
    unsupported: [],
    once: /\/supervisor\/monitor\/start$/,
  },
  exotel: {
    start: {
      listen: [/^GET .*\/Calls\/[^/]+\/ActiveLegs(\.json)?$/, /^POST .*\/Calls\/[^/]+\/Legs(\.json)?$/],
      whisper: [/^GET .*\/ActiveLegs(\.json)?$/, /^POST .*\/Legs(\.json)?$/],
      barge: [/^GET .*\/ActiveLegs(\.json)?$/, /^POST .*\/Legs(\.json)?$/],
    },
    change: [/^PUT .*\/Calls\/[^/]+\/Legs\/[^/]+$/],
    stop: [/^PUT .*\/Calls\/[^/]+\/Legs\/[^/]+$/],
    unsupported: [],
  },
  audian: {
    start: { barge: [/^POST \/v2\/calls\/[^/]+\/conference$/] },
    change: [],
    stop: [/^POST \/v2\/conferences\/[^/]+\/participants\/[^/]+\/remove$/],
    unsupported: ['listen', 'whisper'],
  },
};

const vendors = Object.keys(VENDORS) as Vendor[];
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ vendors, calls: 12, agents: 12 });
  for (const a of h.centre.accounts) await h.app.core.engine.runtime(a.config.id)!.pollCalls();
});
afterAll(() => h.stop());

function monitorableCalls(vendor: Vendor): Call[] {
  const id = h.centre.byVendor(vendor).config.id;
  const calls = [...h.app.core.engine.runtime(id)!.calls.values()].filter((c) => c.status === 'in_progress');
  return vendor === 'audian' ? calls : calls.filter((c) => c.agentKey !== null);
}

function sequence(vendor: Vendor): string[] {
  const once = VENDORS[vendor].once;
  return h.centre.byVendor(vendor).sim.server.calls().filter((l) => !AUTH.test(l) && !(once && once.test(l)));
}

async function stopAndCheck(vendor: Vendor, callKey: string): Promise<void> {
  const x = VENDORS[vendor];
  h.centre.byVendor(vendor).sim.server.clearLog();
  const stopped = await h.request('calls.stopMonitor', { callKey });
  if (x.stop === 'unsupported') {
    // The vendor cannot end it: the supervisor is told to hang up, and the session stays shown.
    expect(stopped).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(stopped.error!.message).toMatch(/hang up/i);
    return;
  }
  expect(stopped.ok, JSON.stringify(stopped.error)).toBe(true);
  expectSequence(sequence(vendor), x.stop);
  expect(h.app.core.engine.tray().monitoring?.callKey).not.toBe(callKey);
}

function expectSequence(lines: string[], patterns: RegExp[]): void {
  expect(lines.length, lines.join('\n')).toBe(patterns.length);
  patterns.forEach((p, i) => expect(lines[i]).toMatch(p));
}

describe.each(vendors)('%s', (vendor) => {
  const x = VENDORS[vendor];
  const modes: MonitorMode[] = ['listen', 'whisper', 'barge'];

  it.each(modes)('%s with one click, then stop', async (mode) => {
    const calls = monitorableCalls(vendor);
    expect(calls.length).toBeGreaterThan(2);
    const call = calls[modes.indexOf(mode)]!;
    const sim = h.centre.byVendor(vendor).sim.server;
    sim.clearLog();
    const r = await h.request('calls.monitor', { callKey: call.key, mode });
    if (x.unsupported.includes(mode)) {
      expect(r).toMatchObject({ ok: false, error: { code: 'unsupported' } });
      expect(r.error!.message.length).toBeGreaterThan(20);
      expect(sequence(vendor)).toEqual([]);
      return;
    }
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    const monitored = r.value as Call;
    expect(monitored.sessions[0]).toMatchObject({ mode, own: true, callKey: call.key });
    expectSequence(sequence(vendor), x.start[mode]!);
    if (x.once && mode === 'listen') {
      // The first session dials the supervisor's phone to set up the audio path.
      const starts = sim.log.filter((l) => x.once!.test(`${l.method} ${l.path}`));
      expect(starts.map((l) => l.query.numberToDial)).toEqual(['+15550100999']);
    }
    expect(h.app.core.engine.tray().monitoring).toMatchObject({ callKey: call.key, mode });
    await stopAndCheck(vendor, call.key);
  });

  it('changes mode in place where the vendor allows, else ends and restarts', async () => {
    if (x.unsupported.includes('listen')) return;
    const call = monitorableCalls(vendor)[3]!;
    expect((await h.request('calls.monitor', { callKey: call.key, mode: 'listen' })).ok).toBe(true);
    h.centre.byVendor(vendor).sim.server.clearLog();
    const r = await h.request('calls.monitor', { callKey: call.key, mode: 'barge' });
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    expect((r.value as Call).sessions.filter((s) => s.own).map((s) => s.mode)).toEqual(['barge']);
    expectSequence(sequence(vendor), x.change);
    await stopAndCheck(vendor, call.key);
  });

  it('monitoring a second call first ends the session on the first', async () => {
    const mode = x.unsupported.includes('listen') ? 'barge' : 'listen';
    const [a, b] = monitorableCalls(vendor).slice(4, 6);
    expect((await h.request('calls.monitor', { callKey: a!.key, mode })).ok).toBe(true);
    h.centre.byVendor(vendor).sim.server.clearLog();
    expect((await h.request('calls.monitor', { callKey: b!.key, mode })).ok).toBe(true);
    const lines = sequence(vendor);
    if (x.stop === 'unsupported') expect(lines.some((l) => /\/stop|hangup/i.test(l))).toBe(false);
    else expectSequence(lines.slice(0, x.stop.length), x.stop);
    const accountId = h.centre.byVendor(vendor).config.id;
    const own = h.app.core.engine.calls().flatMap((c) => c.sessions.filter((s) => s.own && s.accountId === accountId));
    expect(own.map((s) => s.callKey)).toEqual([b!.key]);
    await stopAndCheck(vendor, b!.key);
  });

  it('stop without a session is refused and sends nothing', async () => {
    const call = monitorableCalls(vendor).find((c) => !c.sessions.some((s) => s.own))!;
    h.centre.byVendor(vendor).sim.server.clearLog();
    expect(await h.request('calls.stopMonitor', { callKey: call.key })).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    expect(sequence(vendor)).toEqual([]);
  });
});
