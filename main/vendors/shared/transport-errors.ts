// What Test connection and account health say when a proxy or a certificate, not the vendor, is
// why a request failed. Both kinds fail before anything reaches the vendor, so an action that
// fails this way did not happen (never outcome_unknown). No message names a proxy's credentials.
import { SwitchboardError } from '../../domain/errors.js';

/** A proxy URL as it may be shown: scheme, host and port, never the user and password in it. */
export function proxyName(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

/** Thrown by a transport when its proxy fails; carried through axios as the error's cause. */
export class ProxyFailure extends Error {
  constructor(
    readonly kind: 'unreachable' | 'refused' | 'auth' | 'timeout' | 'config',
    /** The proxy as shown (proxyName), or what was wrong with its setting. */
    readonly proxy: string,
    readonly detail: { status?: number; code?: string } = {},
  ) {
    super(`proxy ${kind}`);
    this.name = 'ProxyFailure';
  }
}

const NOTHING_SENT = 'nothing was sent to the vendor';

export function proxyError(f: ProxyFailure, host: string): SwitchboardError {
  switch (f.kind) {
    case 'unreachable':
      return new SwitchboardError(
        'proxy',
        `The proxy ${f.proxy} could not be reached (${f.detail.code ?? 'no connection'}); ${NOTHING_SENT}. Check the proxy setting (HTTPS_PROXY / HTTP_PROXY, or the system's) and that the proxy is running.`,
      );
    case 'timeout':
      return new SwitchboardError('proxy', `The proxy ${f.proxy} did not answer in time; ${NOTHING_SENT}.`);
    case 'auth':
      return proxyAuthError(host, f.proxy);
    case 'refused':
      return new SwitchboardError(
        'proxy',
        `The proxy ${f.proxy} refused to connect to ${host} (it answered ${f.detail.status ?? 'with an error'}); ${NOTHING_SENT}. Ask your IT team to allow ${host}, or list it in NO_PROXY if it can be reached directly.`,
      );
    case 'config':
      return new SwitchboardError('proxy', `The proxy setting cannot be used: ${f.proxy}.`);
  }
}

export function proxyAuthError(host: string, proxy?: string): SwitchboardError {
  return new SwitchboardError(
    'proxy',
    `The proxy${proxy ? ` ${proxy}` : ''} asks Switchboard to sign in (407 Proxy Authentication Required); ${NOTHING_SENT}. Put the proxy's user and password in the proxy URL (http://user:password@host:port), or ask your IT team to let Switchboard through to ${host}.`,
  );
}

export type CertificateProblem = 'untrusted' | 'expired' | 'wrong-host' | 'other';

/**
 * `trustNote`: what the extra CA setting has to do with it (not set, set but not the signer, or a
 * file that could not be used), so the message says what to change.
 */
export function certificateError(problem: CertificateProblem, host: string, code: string, trustNote = ''): SwitchboardError {
  const note = trustNote ? ` ${trustNote}` : '';
  switch (problem) {
    case 'untrusted':
      return new SwitchboardError(
        'certificate',
        `The certificate of ${host} is not signed by an authority Switchboard trusts (${code}); ${NOTHING_SENT}. If your network inspects HTTPS (a corporate proxy or firewall), add its CA certificate; otherwise check the base URL.${note}`,
      );
    case 'expired':
      return new SwitchboardError(
        'certificate',
        `The certificate of ${host} has expired or is not valid yet (${code}); ${NOTHING_SENT}. Check this computer's date and time; if they are right, the vendor (or a proxy inspecting HTTPS) uses an out-of-date certificate.`,
      );
    case 'wrong-host':
      return new SwitchboardError(
        'certificate',
        `The certificate presented for ${host} belongs to another host name (${code}); ${NOTHING_SENT}. Check the base URL; a proxy inspecting HTTPS can cause this too.`,
      );
    case 'other':
      return new SwitchboardError('certificate', `The certificate of ${host} was refused (${code}); ${NOTHING_SENT}.${note}`);
  }
}

/** The first error in a cause chain that is a `T`. */
export function causeOf<T>(err: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    if (e instanceof type) return e as T;
    e = e.cause;
  }
  return undefined;
}

/** The system error code (ECONNREFUSED, CERT_HAS_EXPIRED …) of an error or its causes. */
export function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && !code.startsWith('ERR_BAD') && code !== 'ERR_NETWORK') return code;
    e = e.cause;
  }
  return undefined;
}
