// Demo mode: a simulated centre with one account per vendor, added through the same contract
// requests as real accounts (so through the real vault, clients and engine), with live traffic.
// Leaving it removes the demo accounts and their secrets.
import type { Result } from '../../preload/contract.js';
import { systemClock, type Clock } from '../engine/clock.js';
import { Pacer } from '../engine/pacer.js';
import type { VendorRegistry } from '../vendors/registry-types.js';
import { startSimulatedCentre, type SimulatedCentre } from './simulated-centre.js';

export interface DemoDeps {
  registry: VendorRegistry;
  /** The app's own dispatcher: demo accounts go in and out exactly like real ones. */
  dispatch: (name: string, input: unknown) => Promise<Result<unknown>>;
  seed?: number;
  /** How often the simulators move traffic on; 0 for none (deterministic tests). */
  trafficEveryMs?: number;
  callsPerAccount?: number;
  agentsPerAccount?: number;
  /** Traffic runs on the app's clock, so tests can play two minutes of it in virtual time. */
  clock?: Clock;
}

export class DemoMode {
  private centre: SimulatedCentre | null = null;
  private traffic: Promise<void> | null = null;
  private readonly pacer: Pacer;

  constructor(private readonly deps: DemoDeps) {
    this.pacer = new Pacer(deps.clock ?? systemClock);
  }

  get active(): boolean {
    return this.centre !== null;
  }

  /** The running simulators, for tests that check what a vendor received. */
  get simulators(): SimulatedCentre | null {
    return this.centre;
  }

  async start(): Promise<void> {
    if (this.centre) return;
    const centre = await startSimulatedCentre({
      registry: this.deps.registry,
      seed: this.deps.seed ?? 2026,
      // More agents than calls, so some are free to change state while others talk.
      callsPerAccount: this.deps.callsPerAccount ?? 20,
      agentsPerAccount: this.deps.agentsPerAccount ?? 32,
      demo: true,
    });
    this.centre = centre;
    for (const a of centre.accounts) {
      const r = await this.deps.dispatch('accounts.save', { account: a.config, secrets: a.secrets });
      if (!r.ok) {
        await this.stop();
        throw new Error(`demo account ${a.config.id} could not be added: ${r.error.message}`);
      }
    }
    const every = this.deps.trafficEveryMs ?? 2_000;
    if (every > 0) this.traffic = this.runTraffic(centre, every);
  }

  private async runTraffic(centre: SimulatedCentre, every: number): Promise<void> {
    for (;;) {
      await this.pacer.sleep(every);
      if (this.centre !== centre) return;
      centre.tick();
    }
  }

  /** Removes the demo accounts (and so their secrets) and stops the simulators. */
  async stop(): Promise<void> {
    const centre = this.centre;
    this.centre = null;
    this.pacer.wakeAll();
    await this.traffic;
    this.traffic = null;
    if (!centre) return;
    for (const a of centre.accounts) await this.deps.dispatch('accounts.remove', { id: a.config.id });
    await centre.stop();
  }
}
