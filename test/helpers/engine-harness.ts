// A whole Switchboard core wired to a simulated centre: accounts saved through the contract with
// the simulators' credentials, every event the renderer would receive recorded.
import type { AppCoreOptions } from '../../main/engine/app-core.js';
import type { Clock } from '../../main/engine/clock.js';
import type { EventName } from '../../preload/contract.js';
import type { Vendor } from '../../main/domain/model.js';
import { startSimulatedCentre, type SimulatedCentre } from '../../main/demo/simulated-centre.js';
import { vendorRegistry } from '../../main/vendors/registry.js';
import { createTestApp, type TestApp } from './app.js';
import { VirtualClock } from './virtual-clock.js';

export interface Harness {
  app: TestApp;
  centre: SimulatedCentre;
  events: { name: EventName; payload: unknown }[];
  request(name: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string; vendorMessage?: string } }>;
  stop(): Promise<void>;
}

export async function startHarness(
  opts: { vendors?: readonly Vendor[]; calls?: number; agents?: number; clock?: Clock; engine?: AppCoreOptions['engine']; seed?: number } = {},
): Promise<Harness> {
  const centre = await startSimulatedCentre({
    registry: vendorRegistry,
    seed: opts.seed ?? 42,
    ...(opts.vendors ? { vendors: opts.vendors } : {}),
    ...(opts.calls !== undefined ? { callsPerAccount: opts.calls } : {}),
    ...(opts.agents !== undefined ? { agentsPerAccount: opts.agents } : {}),
    ...(opts.clock ? { now: () => opts.clock!.now() } : {}),
    demo: false,
    idPrefix: 'sim',
  });
  const app = await createTestApp({
    ...(opts.clock ? { clock: opts.clock } : {}),
    engine: { timeoutMs: 2_000, ...opts.engine },
  });
  const events: Harness['events'] = [];
  app.core.dispatcher.subscribe((name, payload) => void events.push({ name, payload }));
  const request: Harness['request'] = (name, input) => app.core.dispatcher.dispatch(name, input) as ReturnType<Harness['request']>;
  for (const a of centre.accounts) {
    const r = await request('accounts.save', { account: a.config, secrets: a.secrets });
    if (!r.ok) throw new Error(`could not add ${a.config.id}: ${JSON.stringify(r.error)}`);
  }
  return {
    app,
    centre,
    events,
    request,
    stop: async () => {
      // Requests caught in a virtual backoff sleep need time to move for the engine to wind down.
      let stopped = false;
      const stopping = app.core.stop().then(() => (stopped = true));
      if (opts.clock instanceof VirtualClock) while (!stopped) await opts.clock.advance(1_000, 1);
      await stopping;
      await centre.stop();
      app.cleanup();
    },
  };
}
