// Demo mode through the real engine, clients and vault: it starts by itself on a first run, two
// minutes of its traffic move calls, agents, alerts and chat, and leaving it removes its accounts
// and their secrets.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { probeKeytar } from '../../main/vault/keytar-store.js';
import type { AccountView, EventName } from '../../preload/contract.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const service = `Switchboard-demo-test-${process.pid}`;
const keychain = 'store' in (await probeKeytar(service));

let app: TestApp | null = null;
let clock: VirtualClock;
afterEach(async () => {
  if (app) {
    let stopped = false;
    const stopping = app.core.stop().then(() => (stopped = true));
    while (!stopped) await clock.advance(1_000, 1);
    await stopping;
    app.cleanup();
  }
  app = null;
});

/**
 * Virtual time in 100 ms steps, so the real I/O of a first connection (Engage Voice's RingCentral
 * login is three round trips before its first list) has wall time to finish: one long advance gives
 * it only a few milliseconds when few sleepers fall in between (Engage Voice polls every 5 s).
 */
async function inSteps(ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) await clock.advance(100);
}

async function startDemoApp(): Promise<{ events: { name: EventName; payload: unknown }[] }> {
  clock = new VirtualClock();
  app = await createTestApp({ clock, demo: true, keychainService: service });
  const events: { name: EventName; payload: unknown }[] = [];
  app.core.dispatcher.subscribe((name, payload) => void events.push({ name, payload }));
  // Thresholds a demo can cross in two minutes.
  await app.core.dispatcher.dispatch('settings.update', {
    alerts: { callLongerThanSec: 60, holdLongerThanSec: 10, ringingLongerThanSec: 10, notReadyLongerThanSec: 60 },
  });
  await app.core.start();
  return { events };
}

describe('demo mode', () => {
  it('starts on a first run with one labelled demo account per vendor, live through the real engine', async () => {
    await startDemoApp();
    await inSteps(3_000);
    const accounts = (await app!.core.dispatcher.dispatch('accounts.list', {})) as { ok: true; value: AccountView[] };
    expect(accounts.value.map((a) => [a.config.vendor, a.config.demo, a.config.label.startsWith('Demo ')])).toEqual([
      ['engage-voice', true, true],
      ['exotel', true, true],
      ['audian', true, true],
      ['livevox', true, true],
    ]);
    expect(accounts.value.filter((a) => !(a.health === 'ok' && a.secretsSet.length > 0)).map((a) => [a.config.vendor, a.health, a.healthDetail, a.secretsSet])).toEqual([]);
    const vendorsWithCalls = new Set(app!.core.engine.calls().map((c) => c.vendor));
    expect([...vendorsWithCalls].sort()).toEqual(['audian', 'engage-voice', 'exotel', 'livevox']);
    // Audian has no agent list; the other three show their agents.
    expect([...new Set(app!.core.engine.agents().map((a) => a.vendor))].sort()).toEqual(['engage-voice', 'exotel', 'livevox']);
    expect(((await app!.core.dispatcher.dispatch('app.info', {})) as { value: { demo: boolean } }).value.demo).toBe(true);
  });

  it('two minutes of demo traffic change calls and agents, raise alerts and bring chat', async () => {
    const { events } = await startDemoApp();
    await clock.advance(5_000);
    const before = events.length;
    for (let s = 0; s < 120; s++) await clock.advance(1_000, 2);
    const after = events.slice(before);
    const calls = after.filter((e) => e.name === 'calls.changed').map((e) => e.payload as { added: unknown[]; updated: unknown[]; removed: unknown[] });
    expect(calls.reduce((n, d) => n + d.added.length, 0)).toBeGreaterThan(3);
    expect(calls.reduce((n, d) => n + d.removed.length, 0)).toBeGreaterThan(3);
    expect(calls.reduce((n, d) => n + d.updated.length, 0)).toBeGreaterThan(3);
    const agentUpdates = after.filter((e) => e.name === 'agents.changed').flatMap((e) => (e.payload as { updated: unknown[] }).updated);
    expect(agentUpdates.length).toBeGreaterThan(3);
    const alerts = after.filter((e) => e.name === 'alerts').flatMap((e) => e.payload as { kind: string }[]);
    expect(new Set(alerts.map((a) => a.kind)).size).toBeGreaterThanOrEqual(2);
    const chat = after.filter((e) => e.name === 'chat.messages').flatMap((e) => e.payload as { fromAgent: boolean }[]);
    expect(chat.some((m) => m.fromAgent)).toBe(true);
  }, 60_000);

  it('leaving the demo removes its accounts and their secrets from the vault, and it stays off', async () => {
    await startDemoApp();
    await inSteps(2_000);
    const ids = app!.core.engine.calls().map((c) => c.accountId);
    expect(new Set(ids).size).toBe(4);
    const r = await app!.core.dispatcher.dispatch('demo.set', { on: false });
    expect(r).toMatchObject({ ok: true, value: { demo: false } });
    expect(await app!.core.dispatcher.dispatch('accounts.list', {})).toEqual({ ok: true, value: [] });
    expect(app!.core.engine.calls()).toEqual([]);
    if (keychain) {
      const keytar = createRequire(import.meta.url)('keytar') as { findCredentials(s: string): Promise<{ account: string }[]> };
      expect((await keytar.findCredentials(service)).filter((c) => c.account.startsWith('demo-'))).toEqual([]);
    }
    const audit = (await app!.core.dispatcher.dispatch('audit.list', { limit: 20 })) as { value: { entries: { action: string }[] } };
    expect(audit.value.entries.map((e) => e.action)).toContain('demo.leave');
    // A restart does not bring the demo back once the supervisor left it.
    await app!.core.stop();
    await app!.core.start();
    expect(await app!.core.dispatcher.dispatch('accounts.list', {})).toEqual({ ok: true, value: [] });
  });
});
