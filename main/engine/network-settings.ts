// Settings → Network, applied to the transport in force: the extra CA file is read and checked
// before it is saved (a bad one is refused with the reason), and again at start-up, when a file
// that has gone is reported and left out rather than stopping the app.
import type { NetworkPrefs, NetworkStatus } from '../../preload/contract.js';
import { SwitchboardError } from '../domain/errors.js';
import { loadExtraCa } from '../vendors/shared/extra-ca.js';
import { vendorTransport, type VendorTransport } from '../vendors/shared/transport.js';

export class NetworkSettings {
  private problem: string | null = null;

  constructor(private readonly transport: () => VendorTransport = vendorTransport) {}

  /** Reads and applies `prefs`; throws invalid_input, changing nothing, when the CA file cannot be used. */
  async apply(prefs: NetworkPrefs): Promise<void> {
    const ca = prefs.extraCaFile === null ? null : await loadExtraCa(prefs.extraCaFile);
    this.problem = null;
    this.transport().useExtraCa(ca);
  }

  /** At start-up: whatever is wrong with the saved file is kept to say, and the app starts anyway. */
  async applySaved(prefs: NetworkPrefs): Promise<string | null> {
    try {
      await this.apply(prefs);
      return null;
    } catch (err) {
      this.problem = err instanceof SwitchboardError ? err.message : 'The extra CA certificate file could not be used.';
      this.transport().useExtraCa(null, this.problem);
      return this.problem;
    }
  }

  status(): NetworkStatus {
    const t = this.transport();
    return { route: t.describe(), trust: t.trust(), problem: this.problem };
  }
}
