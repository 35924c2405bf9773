import type { Capabilities } from '../domain/actions.js';
import type { Vendor } from '../domain/model.js';
import type { ConnectorFactory } from './connector.js';
import type { ScenarioOptions, VendorSimulator } from './shared/simulator.js';

/** Everything the app needs to know about one vendor, in one entry. */
export interface VendorEntry {
  vendor: Vendor;
  displayName: string;
  capabilities: Capabilities;
  createConnector: ConnectorFactory;
  createSimulator: (opts: ScenarioOptions) => VendorSimulator;
}

export type VendorRegistry = Record<Vendor, VendorEntry>;
