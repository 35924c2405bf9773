// The desktop app's vendor transport, Electron's net.fetch under axios, against a stand-in for
// net.fetch typed by Electron's own definitions. The stand-in answers over real loopback HTTP
// (Node's fetch) or fails the way Chromium does ("net::ERR_…"), so HttpCore is tested end to end.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { net } from 'electron';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../main/domain/errors.js';
import { ChromiumTransport, chromiumErrorName } from '../../main/vendors/shared/chromium-transport.js';
import { HttpCore, codeForStatus, messageForCode } from '../../main/vendors/shared/http.js';

interface Seen {
  method: string;
  url: string;
  credentials: RequestCredentials;
  redirect: RequestRedirect;
  headers: Record<string, string>;
  body: string;
}

let server: http.Server;
let base = '';
const seen: Seen[] = [];
/** When set, the stand-in fails as Chromium would, with this net error. */
let chromiumFailure: string | null = null;
/** When set, the stand-in waits for the abort signal (a vendor that never answers). */
let hang = false;

/** Electron's net.fetch, stood in for: same type, so a change to Electron's signature breaks this. */
const standIn: typeof net.fetch = async (input, init) => {
  const req = new Request(input, init);
  seen.push({
    method: req.method,
    url: req.url,
    credentials: req.credentials,
    redirect: req.redirect,
    headers: Object.fromEntries(req.headers),
    body: await req.clone().text(),
  });
  if (chromiumFailure) throw new Error(`net::${chromiumFailure}`);
  // Chromium hands a proxy's 407 back as the response when nothing signs in (Node's fetch would
  // turn it into a network error, so the stand-in answers it itself).
  if (new URL(req.url).pathname === '/proxy-auth') return new Response(null, { status: 407, headers: { 'Proxy-Authenticate': 'Basic' } });
  if (hang) {
    return new Promise<Response>((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason as Error)));
  }
  return fetch(req);
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/moved') return void res.writeHead(302, { Location: '/elsewhere' }).end();
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json', 'X-Vendor': 'yes' }).end(JSON.stringify({ path: url.pathname, q: url.search, body })));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
  chromiumFailure = null;
  hang = false;
});

function core(timeoutMs = 2000): HttpCore {
  return new HttpCore({
    baseURL: base,
    describeError: (s) => ({ code: codeForStatus(s), message: messageForCode(codeForStatus(s)) }),
    transport: new ChromiumTransport(standIn),
    maxReadRetries: 0,
    timeoutMs,
  });
}

async function failure(p: Promise<unknown>): Promise<SwitchboardError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SwitchboardError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('requests through net.fetch', () => {
  it('a read: method, URL with its query, headers; no cookies, no redirects followed', async () => {
    const res = await core().read({ method: 'GET', path: '/v2/calls', query: { limit: 5, skip: undefined }, headers: { 'X-Auth-Token': 't0k' } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ path: '/v2/calls', q: '?limit=5', body: '' });
    expect(res.headers['x-vendor']).toBe('yes');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', url: `${base}/v2/calls?limit=5`, credentials: 'omit', redirect: 'manual' });
    expect(seen[0]!.headers['x-auth-token']).toBe('t0k');
  });

  it('an action with a JSON body', async () => {
    const res = await core().act({ method: 'POST', path: '/v2/calls/c1/hold', body: { hold: true } });
    expect(JSON.parse(res.text).body).toBe('{"hold":true}');
    expect(seen[0]).toMatchObject({ method: 'POST', body: '{"hold":true}' });
    expect(seen[0]!.headers['content-type']).toBe('application/json');
  });

  it('a redirect is not followed: one request, and the vendor’s 302 is an error', async () => {
    const err = await failure(core().read({ method: 'GET', path: '/moved' }));
    expect(err.code).toBe('action_failed');
    expect(seen.map((s) => new URL(s.url).pathname)).toEqual(['/moved']);
  });

  it('a 407 is the system proxy asking to sign in, not the vendor', async () => {
    const err = await failure(core().act({ method: 'POST', path: '/proxy-auth' }));
    expect(err.code).toBe('proxy');
    expect(err.message).toMatch(/407 Proxy Authentication Required/);
  });

  it('a vendor that never answers times out', async () => {
    hang = true;
    const err = await failure(core(150).read({ method: 'GET', path: '/slow' }));
    expect(err.code).toBe('timeout');
  });
});

describe('Chromium network errors, named', () => {
  it.each([
    ['ERR_PROXY_CONNECTION_FAILED', 'proxy', /^The proxy the system's proxy \(ERR_PROXY_CONNECTION_FAILED\) could not be reached/],
    ['ERR_TUNNEL_CONNECTION_FAILED', 'proxy', /refused to connect to 127\.0\.0\.1/],
    ['ERR_PROXY_AUTH_UNSUPPORTED', 'proxy', /407 Proxy Authentication Required/],
    ['ERR_PAC_SCRIPT_FAILED', 'proxy', /^The proxy setting cannot be used: the system proxy configuration failed \(ERR_PAC_SCRIPT_FAILED\)\.$/],
    ['ERR_CERT_AUTHORITY_INVALID', 'certificate', /not signed by an authority Switchboard trusts \(ERR_CERT_AUTHORITY_INVALID\).*install the CA certificate there/],
    ['ERR_CERT_DATE_INVALID', 'certificate', /has expired or is not valid yet \(ERR_CERT_DATE_INVALID\)/],
    ['ERR_CERT_COMMON_NAME_INVALID', 'certificate', /belongs to another host name/],
    ['ERR_CERT_REVOKED', 'certificate', /was refused \(ERR_CERT_REVOKED\)/],
    ['ERR_CONNECTION_REFUSED', 'network', /unreachable \(connection refused\)/],
    ['ERR_NAME_NOT_RESOLVED', 'network', /could not be resolved/],
    ['ERR_CONNECTION_TIMED_OUT', 'timeout', /did not answer in time/],
    ['ERR_CONNECTION_RESET', 'network', /failed before an answer arrived/],
  ])('%s → %s', async (name, code, message) => {
    chromiumFailure = name;
    const err = await failure(core().read({ method: 'GET', path: '/x' }));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('an action stopped by the proxy, a certificate or a refused connection did not happen; a reset might have', async () => {
    for (const [name, code] of [
      ['ERR_TUNNEL_CONNECTION_FAILED', 'proxy'],
      ['ERR_CERT_AUTHORITY_INVALID', 'certificate'],
      ['ERR_CONNECTION_REFUSED', 'network'],
      ['ERR_CONNECTION_RESET', 'outcome_unknown'],
    ] as const) {
      chromiumFailure = name;
      expect([name, (await failure(core().act({ method: 'POST', path: '/v2/calls/c1/hangup' }))).code]).toEqual([name, code]);
    }
  });

  it('reads the error name from the message or its cause', () => {
    expect(chromiumErrorName(new Error('net::ERR_CERT_DATE_INVALID'))).toBe('ERR_CERT_DATE_INVALID');
    expect(chromiumErrorName(new Error('wrapped', { cause: new Error('net::ERR_TUNNEL_CONNECTION_FAILED (-111)') }))).toBe('ERR_TUNNEL_CONNECTION_FAILED');
    expect(chromiumErrorName(new Error('fetch failed'))).toBeNull();
  });
});
