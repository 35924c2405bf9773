import type { Capabilities } from '../domain/actions.js';
import type { Vendor } from '../domain/model.js';
import type { ConnectorFactory } from './connector.js';
import type { VendorLimits } from './shared/limits.js';
import type { ScenarioOptions, VendorSimulator } from './shared/simulator.js';

/** Everything the app needs to know about one vendor, in one entry. */
export interface VendorEntry {
  vendor: Vendor;
  displayName: string;
  capabilities: Capabilities;
  /** Its documented request limits as buckets, and its in-view poll pace (the scheduler's input). */
  limits: VendorLimits;
  createConnector: ConnectorFactory;
  createSimulator: (opts: ScenarioOptions) => VendorSimulator;
}

export type VendorRegistry = Record<Vendor, VendorEntry>;
