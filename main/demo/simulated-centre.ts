// A contact centre made of the product's own vendor simulators on loopback: one account per
// vendor, with the credentials each simulator accepts. Demo mode, the engine tests and the load
// runs all stand on this, so they exercise the real clients, engine and vault.
import { AccountConfig, type Secrets } from '../domain/account.js';
import { VENDORS, type Vendor } from '../domain/model.js';
import type { VendorRegistry } from '../vendors/registry-types.js';
import type { VendorSimulator } from '../vendors/shared/simulator.js';

export interface SimulatedAccount {
  config: AccountConfig;
  secrets: Secrets;
  sim: VendorSimulator;
}

export interface SimulatedCentre {
  accounts: SimulatedAccount[];
  byVendor(vendor: Vendor): SimulatedAccount;
  /** One step of traffic on every simulator. */
  tick(): void;
  stop(): Promise<void>;
}

export interface CentreOptions {
  registry: VendorRegistry;
  seed: number;
  vendors?: readonly Vendor[];
  callsPerAccount?: number;
  agentsPerAccount?: number;
  /** Account ids are `${idPrefix}-${vendor}`. */
  idPrefix?: string;
  supervisorPhone?: string;
  demo?: boolean;
  now?: () => number;
}

export async function startSimulatedCentre(opts: CentreOptions): Promise<SimulatedCentre> {
  const accounts: SimulatedAccount[] = [];
  const vendors = opts.vendors ?? VENDORS;
  try {
    for (const [i, vendor] of vendors.entries()) {
      const entry = opts.registry[vendor];
      const sim = entry.createSimulator({
        seed: opts.seed + i * 7919,
        ...(opts.callsPerAccount !== undefined ? { calls: opts.callsPerAccount } : {}),
        ...(opts.agentsPerAccount !== undefined ? { agents: opts.agentsPerAccount } : {}),
        ...(opts.now ? { now: opts.now } : {}),
      });
      await sim.start();
      const config = AccountConfig.parse({
        ...sim.accountSettings(),
        // Engage Voice runs the RingCentral exchange with its 5-minute tokens: the auth path worth exercising.
        ...(vendor === 'engage-voice' ? { authMode: 'rc' } : {}),
        id: `${opts.idPrefix ?? 'demo'}-${vendor}`,
        label: `${opts.demo === false ? '' : 'Demo '}${entry.displayName}`,
        supervisorPhone: opts.supervisorPhone ?? '+15550100999',
        demo: opts.demo ?? true,
      });
      accounts.push({ config, secrets: sim.credentials, sim });
    }
  } catch (err) {
    await Promise.all(accounts.map((a) => a.sim.stop()));
    throw err;
  }
  return {
    accounts,
    byVendor: (vendor) => {
      const a = accounts.find((x) => x.config.vendor === vendor);
      if (!a) throw new Error(`no simulated ${vendor} account`);
      return a;
    },
    tick: () => {
      for (const a of accounts) a.sim.tick();
    },
    stop: async () => {
      await Promise.all(accounts.map((a) => a.sim.stop()));
    },
  };
}
