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
  stop: RegExp[];
  unsupported: MonitorMode[];
}

const VENDORS: Partial<Record<Vendor, Expect>> = {
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
  return h.centre.byVendor(vendor).sim.server.calls().filter((l) => !AUTH.test(l));
}

function expectSequence(lines: string[], patterns: RegExp[]): void {
  expect(lines.length, lines.join('\n')).toBe(patterns.length);
  patterns.forEach((p, i) => expect(lines[i]).toMatch(p));
}

describe.each(vendors)('%s', (vendor) => {
  const x = VENDORS[vendor]!;
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
    expect(h.app.core.engine.tray().monitoring).toMatchObject({ callKey: call.key, mode });

    sim.clearLog();
    const stopped = await h.request('calls.stopMonitor', { callKey: call.key });
    expect(stopped.ok, JSON.stringify(stopped.error)).toBe(true);
    expectSequence(sequence(vendor), x.stop);
    expect(h.app.core.engine.tray().monitoring).toBeNull();
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
    await h.request('calls.stopMonitor', { callKey: call.key });
  });

  it('monitoring a second call first ends the session on the first', async () => {
    const mode = x.unsupported.includes('listen') ? 'barge' : 'listen';
    const [a, b] = monitorableCalls(vendor).slice(4, 6);
    expect((await h.request('calls.monitor', { callKey: a!.key, mode })).ok).toBe(true);
    h.centre.byVendor(vendor).sim.server.clearLog();
    expect((await h.request('calls.monitor', { callKey: b!.key, mode })).ok).toBe(true);
    const lines = sequence(vendor);
    expectSequence(lines.slice(0, x.stop.length), x.stop);
    const own = h.app.core.engine.calls().flatMap((c) => c.sessions.filter((s) => s.own));
    expect(own.map((s) => s.callKey)).toEqual([b!.key]);
    await h.request('calls.stopMonitor', { callKey: b!.key });
  });

  it('stop without a session is refused and sends nothing', async () => {
    const call = monitorableCalls(vendor)[6]!;
    h.centre.byVendor(vendor).sim.server.clearLog();
    expect(await h.request('calls.stopMonitor', { callKey: call.key })).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
    expect(sequence(vendor)).toEqual([]);
  });
});
