// How vendor requests reach the network. HttpCore asks the transport in force for each request's
// axios settings and, when a request fails, whether the transport knows why (a proxy, a
// certificate). The host picks the transport once at start-up: the Electron shell Chromium's
// network stack (system proxy, PAC, OS certificate store; main/shell supplies net.fetch, so
// nothing here imports Electron), the Node hosts the environment's proxies and the extra CA
// file from Settings. Until a host picks one, requests go direct, as tests expect.
import type { AxiosRequestConfig } from 'axios';
import type { SwitchboardError } from '../../domain/errors.js';
import type { ExtraCa } from './extra-ca.js';
import { NodeTransport } from './node-transport.js';

/** The part of an axios request a transport decides. */
export type TransportConfig = Pick<AxiosRequestConfig, 'adapter' | 'env' | 'withCredentials' | 'httpAgent' | 'httpsAgent' | 'proxy'>;

export interface VendorTransport {
  /** How requests go, for the log and the settings screen (never a credential). */
  describe(): string;
  /** Which certificate authorities vendor HTTPS trusts, in words. */
  trust(): string;
  /** Settings for one request to `target` (the request's base URL). May throw a ProxyFailure. */
  configFor(target: URL): TransportConfig;
  /** The failure, named, when this transport knows its cause (proxy, certificate); else undefined. */
  explain(err: unknown, target: URL): SwitchboardError | undefined;
  /**
   * The extra CA certificates from Settings (null: none), and why the file set there could not be
   * used when it could not (so a certificate failure can say so).
   */
  useExtraCa(ca: ExtraCa | null, problem?: string): void;
}

let current: VendorTransport | null = null;

/** The host's choice, from start-up on. */
export function useVendorTransport(t: VendorTransport): void {
  current = t;
}

export function vendorTransport(): VendorTransport {
  current ??= new NodeTransport({ proxiesFromEnv: false });
  return current;
}
