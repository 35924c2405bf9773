// The live model over simulated time: budgets, deltas, one vendor down, auth expiry.
import { afterEach, describe, expect, it } from 'vitest';
import type { Call, Vendor } from '../../main/domain/model.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';
import { VirtualClock } from '../helpers/virtual-clock.js';
import type { AccountView } from '../../preload/contract.js';

const ALL: Vendor[] = ['engage-voice', 'exotel', 'audian', 'livevox'];
let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const views = async (): Promise<AccountView[]> => (await h!.request('accounts.list', {})).value as AccountView[];
const callEvents = () => h!.events.filter((e) => e.name === 'calls.changed').map((e) => e.payload as { added: Call[]; updated: Call[]; removed: string[] });

describe('live model', () => {
  it('holds every account to its request limits over ten simulated minutes, visible and in the tray', async () => {
    const clock = new VirtualClock();
    // Tight enough that polls want more than their share: polls may take two thirds of a bucket (24 a
    // minute here, the whole of the old shared budget), the rest is kept for the supervisor's actions.
    const perMinute = 36;
    h = await startHarness({ vendors: ALL, calls: 40, agents: 20, clock, engine: { budgetPerMinute: { exotel: perMinute, audian: perMinute, 'engage-voice': perMinute, livevox: perMinute } } });
    const engine = h.app.core.engine;
    engine.start();
    for (let s = 0; s < 300; s++) {
      if (s % 5 === 0) h.centre.tick();
      await clock.advance(1_000, 1);
    }
    const visibleCounts = new Map(h.centre.accounts.map((a) => [a.config.id, a.sim.server.log.length]));
    engine.setVisible(false);
    for (let s = 0; s < 300; s++) {
      if (s % 5 === 0) h.centre.tick();
      await clock.advance(1_000, 1);
    }
    for (const a of h.centre.accounts) {
      const scheduler = engine.scheduler(a.config.id)!;
      // Every request the simulator saw went through the account's scheduler, and no minute of any bucket ever held more.
      expect(a.sim.server.log.length).toBe(scheduler.total);
      for (const v of scheduler.views()) expect(scheduler.bucket(v.id)!.stats.peak, `${a.config.vendor} ${v.id}`).toBeLessThanOrEqual(perMinute);
      const visible = visibleCounts.get(a.config.id)!;
      const hidden = a.sim.server.log.length - visible;
      expect(hidden, `${a.config.vendor} polled less in the tray`).toBeLessThan(visible * 0.6);
    }
    for (const v of await views()) expect(v).toMatchObject({ health: 'ok', stale: false });
  }, 60_000);

  it('emits only changes: nothing for an unchanged poll, one update for one changed call', async () => {
    h = await startHarness({ vendors: ['audian'], calls: 30 });
    const rt = h.app.core.engine.runtime('sim-audian')!;
    await rt.pollCalls();
    const first = callEvents();
    expect(first).toHaveLength(1);
    expect(first[0]!.added.length).toBe(rt.calls.size);
    await rt.pollCalls();
    expect(callEvents()).toHaveLength(1);
    const target = [...rt.calls.values()].find((c) => c.status === 'in_progress')!;
    const held = await h.request('calls.action', { callKey: target.key, action: { type: 'hold' } });
    expect(held.ok, JSON.stringify(held.error)).toBe(true);
    await rt.pollCalls();
    const after = callEvents().slice(1);
    const touched = new Set(after.flatMap((d) => [...d.added, ...d.updated].map((c) => c.key)));
    expect([...touched]).toEqual([target.key]);
    expect(rt.calls.get(target.key)!.onHold).toBe(true);
  });

  it('keeps the other accounts live while one vendor is down, and recovers it when it returns', async () => {
    const clock = new VirtualClock();
    h = await startHarness({ vendors: ALL, calls: 20, agents: 10, clock });
    h.app.core.engine.start();
    await clock.advance(10_000);
    const down = h.centre.byVendor('exotel');
    down.sim.server.injectFault({ kind: 'drop' });
    const before = callEvents().length;
    for (let s = 0; s < 60; s++) {
      if (s % 3 === 0) h.centre.byVendor('audian').sim.tick();
      await clock.advance(1_000);
    }
    const byId = new Map((await views()).map((v) => [v.config.id, v]));
    expect(byId.get(down.config.id)).toMatchObject({ health: 'unreachable', stale: true });
    expect(byId.get('sim-audian')).toMatchObject({ health: 'ok', stale: false });
    expect(clock.now() - byId.get('sim-audian')!.dataAt!).toBeLessThan(5_000);
    const audianUpdates = callEvents()
      .slice(before)
      .filter((d) => [...d.added, ...d.updated, ...d.removed.map((k) => ({ key: k }))].some((c) => c.key.startsWith('sim-audian:')));
    expect(audianUpdates.length).toBeGreaterThan(3);

    down.sim.server.clearFaults();
    await clock.advance(20_000);
    expect((await views()).find((v) => v.config.id === down.config.id)).toMatchObject({ health: 'ok', stale: false });
  }, 60_000);

  it('recovers expired credentials without the supervisor noticing', async () => {
    const clock = new VirtualClock();
    h = await startHarness({ vendors: ALL, calls: 10, agents: 5, clock });
    h.app.core.engine.start();
    await clock.advance(10_000);
    const healthEvents = () => h!.events.filter((e) => e.name === 'accounts.changed').length;
    const seen = healthEvents();
    for (const a of h.centre.accounts) a.sim.server.injectFault({ kind: 'expire_auth' });
    await clock.advance(10_000);
    for (const v of await views()) expect(v).toMatchObject({ health: 'ok', stale: false, healthDetail: null });
    expect(healthEvents()).toBe(seen);
    for (const a of h.centre.accounts) {
      expect(a.sim.server.log.some((l) => l.status === 401), `${a.config.vendor} saw the expired credential`).toBe(true);
    }
  }, 30_000);

  it('fetches legs and stream details only for the call in view, and an unchanged refresh sends nothing', async () => {
    const clock = new VirtualClock();
    h = await startHarness({ vendors: ['exotel'], calls: 12, agents: 12, clock });
    const engine = h.app.core.engine;
    const sim = h.centre.byVendor('exotel').sim.server;
    engine.start();
    await clock.advance(5_000);
    const detail = /\/stream$|\/ActiveLegs(\.json)?$/;
    expect(sim.calls(detail), 'no details before a call is viewed').toEqual([]);

    const viewed = engine.calls().find((c) => c.status === 'in_progress')!;
    expect((await h.request('calls.view', { callKey: viewed.key })).ok).toBe(true);
    const updatesBefore = callEvents().length;
    await clock.advance(30_000);
    const fetched = sim.calls(detail);
    expect(fetched.length, 'the viewed call is refreshed while in view').toBeGreaterThan(3);
    expect(fetched.every((l) => l.includes(`/${viewed.vendorCallId}/`)), fetched.join('\n')).toBe(true);
    // Nothing changed at the vendor, so no refresh re-sends the viewed call.
    const resent = callEvents().slice(updatesBefore).filter((d) => d.updated.some((c) => c.key === viewed.key));
    expect(resent).toEqual([]);

    expect((await h.request('calls.view', { callKey: null })).ok).toBe(true);
    const afterClose = sim.calls(detail).length;
    await clock.advance(30_000);
    expect(sim.calls(detail).length, 'no details once nothing is in view').toBe(afterClose);
  }, 30_000);

  it('counts no stale account in the tray and raises no duration alert from frozen data', async () => {
    const clock = new VirtualClock();
    h = await startHarness({ vendors: ['exotel', 'audian'], calls: 10, agents: 10, clock });
    const engine = h.app.core.engine;
    await h.request('settings.update', { alerts: { callLongerThanSec: 90, holdLongerThanSec: 600, ringingLongerThanSec: 600, notReadyLongerThanSec: 3_600 } });
    engine.start();
    await clock.advance(5_000);
    const audianCalls = () => engine.calls().filter((c) => c.vendor === 'audian' && c.status !== 'ended').length;
    expect(engine.tray().activeCalls).toBe(engine.calls().filter((c) => c.status !== 'ended').length);

    h.centre.byVendor('exotel').sim.server.injectFault({ kind: 'drop' });
    const alertsFrom = h.events.length;
    for (let s = 0; s < 120; s++) {
      // New Audian calls keep arriving, and cross the long-call line while Exotel is stale.
      if (s % 10 === 0) h.centre.byVendor('audian').sim.tick();
      await clock.advance(1_000);
    }
    const tray = engine.tray();
    expect(tray.staleAccounts).toEqual([h.centre.byVendor('exotel').config.label]);
    expect(tray.activeCalls).toBe(audianCalls());
    expect(tray.quickActions.every((q) => q.callKey.startsWith('sim-audian:'))).toBe(true);
    expect(tray.tooltip).toContain('stale');
    // From the moment the tray was told Exotel went stale, only Audian raises duration alerts.
    const wentStale = h.events.findIndex((e, i) => i >= alertsFrom && e.name === 'tray.changed' && (e.payload as { staleAccounts: string[] }).staleAccounts.length === 1);
    expect(wentStale, 'the tray was told when the account went stale').toBeGreaterThan(0);
    const alerted = h.events.slice(wentStale).filter((e) => e.name === 'alerts').flatMap((e) => e.payload as { accountId: string; kind: string }[]);
    expect(alerted.some((a) => a.accountId === 'sim-audian' && a.kind === 'call.long'), 'the live account still alerts').toBe(true);
    expect(alerted.filter((a) => a.accountId === 'sim-exotel')).toEqual([]);
  }, 30_000);
});
