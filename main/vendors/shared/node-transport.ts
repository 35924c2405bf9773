// Vendor requests from a Node host (the browser console, a future hub): through the proxy the
// environment names (HTTPS_PROXY / HTTP_PROXY / ALL_PROXY, NO_PROXY, read by proxy-from-env as curl
// does), trusting the extra CA certificates set in Settings as well as Node's own.
// HTTPS goes through a CONNECT tunnel (tunnel-agent.ts) so TLS runs end to end with the vendor and
// a refused CONNECT is an error we can name; plain HTTP is sent to the proxy whole, by axios.
import https from 'node:https';
import { isIPv4 } from 'node:net';
import tls from 'node:tls';
import { getProxyForUrl } from 'proxy-from-env';
import type { AxiosProxyConfig } from 'axios';
import type { SwitchboardError } from '../../domain/errors.js';
import type { ExtraCa } from './extra-ca.js';
import { ProxyFailure, causeOf, certificateError, errorCode, proxyError, proxyName, type CertificateProblem } from './transport-errors.js';
import type { TransportConfig, VendorTransport } from './transport.js';
import { TunnelAgent } from './tunnel-agent.js';

export interface NodeTransportOptions {
  /** Honour the proxy variables of the environment (the Node hosts); false: always direct. */
  proxiesFromEnv: boolean;
  /** How long a proxy may take to accept a CONNECT. */
  connectTimeoutMs?: number;
}

/** Node's TLS error codes, by what the supervisor should do about them. */
const CERT_CODES: Record<string, CertificateProblem> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted',
  CERT_UNTRUSTED: 'untrusted',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'wrong-host',
  CERT_REVOKED: 'other',
  CERT_SIGNATURE_FAILURE: 'other',
  CERT_REJECTED: 'other',
  INVALID_CA: 'other',
  PATH_LENGTH_EXCEEDED: 'other',
  INVALID_PURPOSE: 'other',
};

/**
 * Failures to open a TCP connection: through a forward proxy every connection is to the proxy. (A reset
 * is not one of them: it can come after the request went out, so it stays a plain network failure.)
 */
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Loopback never goes through a proxy (a proxy cannot reach this computer's loopback), as in Chromium. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || (isIPv4(host) && host.startsWith('127.'));
}

/** Agents replaced by a new CA stay open this long for requests already on them. */
const RETIRE_AFTER_MS = 120_000;

export class NodeTransport implements VendorTransport {
  private ca: ExtraCa | null = null;
  private caProblem: string | null = null;
  private readonly agents = new Map<string, https.Agent>();
  private readonly connectTimeoutMs: number;

  constructor(private readonly opts: NodeTransportOptions) {
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
  }

  describe(): string {
    if (!this.opts.proxiesFromEnv) return 'direct (no proxy)';
    const via = (scheme: 'https' | 'http'): string | null => {
      const p = this.proxyUrl(new URL(`${scheme}://vendor.invalid`));
      return p === null ? null : `${scheme.toUpperCase()} through ${p instanceof URL ? proxyName(p) : 'an unusable proxy setting'}`;
    };
    const routes = [via('https'), via('http')].filter((r): r is string => r !== null);
    if (routes.length === 0) return 'direct (no HTTPS_PROXY, HTTP_PROXY or ALL_PROXY set)';
    const noProxy = process.env.no_proxy || process.env.NO_PROXY;
    return `${routes.join(', ')}; direct: ${noProxy ? `NO_PROXY (${noProxy}) and ` : ''}loopback`;
  }

  trust(): string {
    const own = 'the certificate authorities Node.js ships with';
    return this.ca ? `${own}, and ${this.ca.subjects.join(', ')} from ${this.ca.path}` : own;
  }

  useExtraCa(ca: ExtraCa | null, problem?: string): void {
    this.ca = ca;
    this.caProblem = problem ?? null;
    for (const agent of this.agents.values()) setTimeout(() => agent.destroy(), RETIRE_AFTER_MS).unref();
    this.agents.clear();
  }

  configFor(target: URL): TransportConfig {
    const proxy = this.proxyUrl(target);
    if (typeof proxy === 'string') throw new ProxyFailure('config', proxy);
    if (target.protocol === 'https:') {
      const httpsAgent = proxy ? this.agent(`tunnel ${proxy.href}`, () => new TunnelAgent(proxy, { ...this.tlsOptions(), keepAlive: true, connectTimeoutMs: this.connectTimeoutMs })) : this.caAgent();
      return httpsAgent ? { proxy: false, httpsAgent } : { proxy: false };
    }
    return { proxy: proxy ? axiosProxy(proxy) : false };
  }

  explain(err: unknown, target: URL): SwitchboardError | undefined {
    const host = target.hostname;
    const failure = causeOf(err, ProxyFailure);
    if (failure) return proxyError(failure, host);
    const code = errorCode(err);
    if (code === undefined) return undefined;
    const cert = CERT_CODES[code];
    if (cert) return certificateError(cert, host, code, cert === 'untrusted' || cert === 'other' ? this.trustNote() : '');
    const proxy = target.protocol === 'http:' ? this.proxyUrl(target) : null;
    if (proxy instanceof URL && CONNECT_FAILURES.has(code)) return proxyError(new ProxyFailure('unreachable', proxyName(proxy), { code }), host);
    return undefined;
  }

  /** The proxy for `target`: none (null), a URL, or why the setting is unusable (a string). */
  private proxyUrl(target: URL): URL | string | null {
    if (!this.opts.proxiesFromEnv || isLoopback(target.hostname)) return null;
    const raw = getProxyForUrl(target.href);
    if (!raw) return null;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return `the ${target.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY'} (or ALL_PROXY) variable is not a URL`;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol.slice(0, -1)} proxies are not supported here; use an http:// or https:// proxy`;
    return url;
  }

  private tlsOptions(): https.AgentOptions {
    return this.ca ? { ca: [...tls.rootCertificates, ...this.ca.pems] } : {};
  }

  /** Direct HTTPS: Node's global agent, unless an extra CA must be trusted too. */
  private caAgent(): https.Agent | undefined {
    return this.ca ? this.agent('direct', () => new https.Agent({ ...this.tlsOptions(), keepAlive: true })) : undefined;
  }

  private agent(key: string, make: () => https.Agent): https.Agent {
    let a = this.agents.get(key);
    if (!a) {
      a = make();
      this.agents.set(key, a);
    }
    return a;
  }

  private trustNote(): string {
    if (this.caProblem) return `The extra CA certificate file set in Settings could not be used: ${this.caProblem}`;
    if (this.ca) return `The extra CA certificate file (${this.ca.path}) did not vouch for it either.`;
    return 'The browser console takes an extra CA certificate file in Settings → Network.';
  }
}

/** A forward proxy for plain HTTP, as axios takes it (its credentials become Proxy-Authorization). */
function axiosProxy(proxy: URL): AxiosProxyConfig {
  return {
    protocol: proxy.protocol.slice(0, -1),
    host: proxy.hostname,
    port: Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80),
    ...(proxy.username ? { auth: { username: decodeURIComponent(proxy.username), password: decodeURIComponent(proxy.password) } } : {}),
  };
}
