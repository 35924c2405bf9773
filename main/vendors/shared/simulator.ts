// The shape every vendor simulator presents to tests, the demo and the load runs.
import type { AccountConfigInput, Secrets } from '../../domain/account.js';
import type { SimServer } from './sim-server.js';

/** Omit over each member of a union, so vendor-specific fields survive. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface ScenarioOptions {
  /** Same seed, same scenario: ids, numbers, names and traffic. */
  seed: number;
  calls?: number;
  agents?: number;
  /** Epoch ms the scenario treats as now; defaults to Date.now(). */
  now?: () => number;
}

export interface VendorSimulator {
  readonly server: SimServer;
  /** Credentials the simulator accepts (the demo stores these in the vault like real ones). */
  readonly credentials: Secrets;
  /** Starts listening on an ephemeral loopback port; returns the base URL. */
  start(): Promise<string>;
  stop(): Promise<void>;
  /** Account settings pointing at this simulator (id and label are the caller's). */
  accountSettings(): DistributiveOmit<AccountConfigInput, 'id' | 'label'>;
  /** One step of live traffic: calls arrive, are answered, held, transferred and end; agents change state; agents chat. */
  tick(): void;
  /** How many live calls and agents the simulator holds now. */
  counts(): { calls: number; agents: number };
}
