// Vendor requests in the desktop app go through Chromium's network stack, Electron's net.fetch:
// the system proxy settings (PAC scripts and auto-detection included) and the OS certificate
// store, exactly as a browser on that machine reaches the vendor. The shell hands net.fetch in,
// so neither this module nor anything that uses it imports Electron. axios's fetch adapter
// carries the request; what Chromium reports as `net::ERR_…` is named here.
import type { SwitchboardError } from '../../domain/errors.js';
import type { ExtraCa } from './extra-ca.js';
import { ProxyFailure, certificateError, proxyError, type CertificateProblem } from './transport-errors.js';
import type { TransportConfig, VendorTransport } from './transport.js';

/** The shape of Electron's net.fetch (a string or a Request; the main process's Request and Response). */
export type NetFetch = (input: string | Request, init?: RequestInit) => Promise<Response>;

/** Chromium errors that mean what a Node system error means: HttpCore already words those. */
const AS_NODE_CODE: Record<string, string> = {
  ERR_CONNECTION_REFUSED: 'ECONNREFUSED',
  ERR_NAME_NOT_RESOLVED: 'ENOTFOUND',
  ERR_NAME_RESOLUTION_FAILED: 'EAI_AGAIN',
  ERR_CONNECTION_TIMED_OUT: 'ETIMEDOUT',
  ERR_TIMED_OUT: 'ETIMEDOUT',
};

/** Chromium's proxy errors: the proxy (or finding it) failed, nothing reached the vendor. */
const PROXY_ERRORS: Record<string, ProxyFailure['kind']> = {
  ERR_PROXY_CONNECTION_FAILED: 'unreachable',
  ERR_SOCKS_CONNECTION_FAILED: 'unreachable',
  ERR_SOCKS_CONNECTION_HOST_UNREACHABLE: 'refused',
  ERR_TUNNEL_CONNECTION_FAILED: 'refused',
  ERR_PROXY_AUTH_UNSUPPORTED: 'auth',
  ERR_PROXY_AUTH_REQUESTED: 'auth',
  ERR_PROXY_AUTH_REQUESTED_WITH_NO_CONNECTION: 'auth',
  ERR_PROXY_CERTIFICATE_INVALID: 'unreachable',
  ERR_PROXY_HTTP_1_1_REQUIRED: 'refused',
  ERR_HTTPS_PROXY_TUNNEL_RESPONSE_REDIRECT: 'refused',
  ERR_PAC_SCRIPT_FAILED: 'config',
  ERR_PAC_SCRIPT_TERMINATED: 'config',
  ERR_PAC_NOT_IN_DHCP: 'config',
  ERR_MANDATORY_PROXY_CONFIGURATION_FAILED: 'config',
  ERR_NO_SUPPORTED_PROXIES: 'config',
};

const CERT_ERRORS: Record<string, CertificateProblem> = {
  ERR_CERT_AUTHORITY_INVALID: 'untrusted',
  ERR_CERT_KNOWN_INTERCEPTION_BLOCKED: 'untrusted',
  ERR_CERT_DATE_INVALID: 'expired',
  ERR_CERT_COMMON_NAME_INVALID: 'wrong-host',
};

/** `ERR_…` from Chromium's "net::ERR_… (…)" message, or null. */
export function chromiumErrorName(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    const at = e.message.indexOf('net::ERR_');
    if (at >= 0) {
      const rest = e.message.slice(at + 5);
      const end = rest.indexOf(' ');
      return end < 0 ? rest : rest.slice(0, end);
    }
    e = e.cause;
  }
  return null;
}

export class ChromiumTransport implements VendorTransport {
  private readonly config: TransportConfig;
  private ca: ExtraCa | null = null;

  constructor(netFetch: NetFetch) {
    const fetchWithCodes = async (input: URL | Request | string, init?: RequestInit): Promise<Response> => {
      try {
        return await netFetch(input instanceof URL ? input.href : input, init);
      } catch (err) {
        const name = chromiumErrorName(err);
        const code = name === null ? undefined : AS_NODE_CODE[name];
        throw code === undefined ? err : Object.assign(new Error(`net::${name}`, { cause: err }), { code });
      }
    };
    this.config = {
      adapter: 'fetch',
      env: { fetch: fetchWithCodes },
      // No cookies: each vendor session is the client's own headers, never Chromium's cookie jar.
      withCredentials: false,
      proxy: false,
    };
  }

  describe(): string {
    return "Chromium's network stack: the system proxy settings (PAC and auto-detect included) and the system's certificate store";
  }

  trust(): string {
    return this.ca
      ? `the system's certificate store. The desktop app does not read ${this.ca.path}: install that certificate in the system's store (the file serves the browser console)`
      : "the system's certificate store";
  }

  useExtraCa(ca: ExtraCa | null): void {
    this.ca = ca;
  }

  configFor(): TransportConfig {
    return this.config;
  }

  explain(err: unknown, target: URL): SwitchboardError | undefined {
    const name = chromiumErrorName(err);
    if (name === null) return undefined;
    const host = target.hostname;
    const proxyKind = PROXY_ERRORS[name];
    if (proxyKind) {
      const what = proxyKind === 'config' ? `the system proxy configuration failed (${name})` : `the system's proxy (${name})`;
      return proxyError(new ProxyFailure(proxyKind, what), host);
    }
    if (name.startsWith('ERR_CERT_') || name.startsWith('ERR_SSL_PINNED')) {
      const note = "The desktop app trusts what this computer's certificate store trusts: ask IT to install the CA certificate there.";
      const problem = CERT_ERRORS[name] ?? 'other';
      return certificateError(problem, host, name, problem === 'untrusted' || problem === 'other' ? note : '');
    }
    return undefined;
  }
}
