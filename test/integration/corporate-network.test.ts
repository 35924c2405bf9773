// Vendor requests from a Node host on a corporate network: through a real HTTP proxy on loopback
// (CONNECT for HTTPS, absolute URIs for HTTP) that counts what it sees, with NO_PROXY and loopback
// going direct, and an HTTPS simulator whose certificate comes from a certificate authority made
// for the run, trusted only once the extra CA file is set. Each failure is named for its cause.
import { X509Certificate } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NetworkStatus } from '../../preload/contract.js';
import type { AudianAccount } from '../../main/domain/account.js';
import { SwitchboardError } from '../../main/domain/errors.js';
import { createAudianConnector } from '../../main/vendors/audian/connector.js';
import { createAudianSimulator, type AudianSimulator } from '../../main/vendors/audian/simulator.js';
import { loadExtraCa, type ExtraCa } from '../../main/vendors/shared/extra-ca.js';
import { HttpCore, codeForStatus, messageForCode } from '../../main/vendors/shared/http.js';
import { NodeTransport } from '../../main/vendors/shared/node-transport.js';
import { useVendorTransport } from '../../main/vendors/shared/transport.js';
import { CountingProxy } from '../helpers/connect-proxy.js';
import { createTestApp } from '../helpers/app.js';
import { makeTestCa, type TestCa } from '../helpers/test-ca.js';

let ca: TestCa;
let extraCa: ExtraCa;
let httpsSim: AudianSimulator;
let httpSim: AudianSimulator;
let httpsPort: number;
let httpPort: number;
let proxy: CountingProxy;

beforeAll(async () => {
  ca = makeTestCa();
  extraCa = await loadExtraCa(ca.caFile);
  httpsSim = createAudianSimulator({ seed: 1, calls: 3 });
  await httpsSim.server.listen(0, '127.0.0.1', { key: ca.serverKey, cert: ca.serverCert });
  httpsPort = Number(new URL(httpsSim.server.baseUrl).port);
  httpSim = createAudianSimulator({ seed: 2, calls: 3 });
  httpPort = Number(new URL(await httpSim.start()).port);
  proxy = new CountingProxy();
  await proxy.start();
});
afterAll(async () => {
  await Promise.all([httpsSim.stop(), httpSim.stop(), proxy.stop()]);
  ca.cleanup();
});
afterEach(() => {
  vi.unstubAllEnvs();
  useVendorTransport(new NodeTransport({ proxiesFromEnv: false }));
  proxy.log.length = 0;
  httpsSim.server.clearLog();
  httpSim.server.clearLog();
});

/** The proxy variables, in both spellings (proxy-from-env reads the lower-case one first). */
function proxyEnv(vars: { https?: string; http?: string; no?: string }): void {
  for (const [name, value] of [['https_proxy', vars.https], ['http_proxy', vars.http], ['no_proxy', vars.no], ['all_proxy', undefined]] as const) {
    vi.stubEnv(name, value ?? '');
    vi.stubEnv(name.toUpperCase(), value ?? '');
  }
}

/** The Node hosts' transport, with or without the extra CA. */
function nodeHost(trustCa: boolean): NodeTransport {
  const t = new NodeTransport({ proxiesFromEnv: true, connectTimeoutMs: 2000 });
  t.useExtraCa(trustCa ? extraCa : null);
  useVendorTransport(t);
  return t;
}

/** An Audian connector at `baseUrl` (built directly: plain-HTTP vendor hosts are what these tests need, whatever the account form allows). */
function audian(sim: AudianSimulator, baseUrl: string) {
  const account: AudianAccount = { id: 'aud', label: 'Audian', vendor: 'audian', baseUrl, authHeader: 'x-auth-token', demo: false, enabled: true };
  return createAudianConnector(account, sim.credentials, { timeoutMs: 3000, sleep: async () => undefined });
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

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

const describeError = (status: number) => ({ code: codeForStatus(status), message: messageForCode(codeForStatus(status)) });
const sentToVendor = (sim: AudianSimulator) => sim.server.log.length;

describe('HTTPS through an HTTP proxy (HTTPS_PROXY)', () => {
  it('goes through one CONNECT tunnel per connection to the vendor host; the proxy never sees a path', async () => {
    nodeHost(true);
    proxyEnv({ https: proxy.url });
    const conn = audian(httpsSim, `https://vendor.test:${httpsPort}`);
    await conn.testConnection();
    expect(await conn.listCalls()).toHaveLength(3);
    expect(proxy.count('CONNECT')).toBeGreaterThanOrEqual(1);
    expect(proxy.log.every((e) => e.method === 'CONNECT' && e.target === `vendor.test:${httpsPort}` && e.status === 200)).toBe(true);
    const channels = expect.stringMatching(/^GET \/v2\/accounts\/[^/]+\/channels$/);
    expect(httpsSim.server.calls()).toEqual(['PUT /v2/api_auth', channels, channels]);
  });

  it('without the CA file the vendor certificate is refused, named as a certificate problem; nothing is sent', async () => {
    nodeHost(false);
    proxyEnv({ https: proxy.url });
    const err = await failure(audian(httpsSim, `https://vendor.test:${httpsPort}`).testConnection());
    expect(err.code).toBe('certificate');
    expect(err.message).toMatch(/^The certificate of vendor\.test is not signed by an authority Switchboard trusts \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); nothing was sent to the vendor\./);
    expect(err.message).toContain('Settings → Network');
    // The tunnel opened (the proxy is fine); TLS stopped before any request, and it was not retried.
    expect(proxy.log).toEqual([{ method: 'CONNECT', target: `vendor.test:${httpsPort}`, auth: null, status: 200 }]);
    expect(sentToVendor(httpsSim)).toBe(0);
  });

  it('a certificate for another host name is named as such', async () => {
    nodeHost(true);
    proxyEnv({ https: proxy.url });
    const err = await failure(audian(httpsSim, `https://other.test:${httpsPort}`).testConnection());
    expect(err.code).toBe('certificate');
    expect(err.message).toMatch(/presented for other\.test belongs to another host name \(ERR_TLS_CERT_ALTNAME_INVALID\)/);
  });

  it('an expired certificate is named as such, with what to check', async () => {
    const stale = createAudianSimulator({ seed: 3, calls: 1 });
    await stale.server.listen(0, '127.0.0.1', { key: ca.serverKey, cert: ca.expiredCert });
    try {
      nodeHost(true);
      proxyEnv({ https: proxy.url });
      const err = await failure(audian(stale, `https://vendor.test:${new URL(stale.server.baseUrl).port}`).testConnection());
      expect(err.code).toBe('certificate');
      expect(err.message).toMatch(/^The certificate of vendor\.test has expired or is not valid yet \(CERT_HAS_EXPIRED\).*Check this computer's date and time/);
      expect(stale.server.log).toHaveLength(0);
    } finally {
      await stale.stop();
    }
  });

  it('a proxy that refuses the CONNECT (403) is the proxy refusing, not the vendor, and is not retried', async () => {
    const strict = new CountingProxy({ blockedHosts: ['vendor.test'] });
    await strict.start();
    try {
      nodeHost(true);
      proxyEnv({ https: strict.url });
      const err = await failure(audian(httpsSim, `https://vendor.test:${httpsPort}`).testConnection());
      expect(err.code).toBe('proxy');
      expect(err.message).toBe(
        `The proxy ${strict.url} refused to connect to vendor.test (it answered 403); nothing was sent to the vendor. Ask your IT team to allow vendor.test, or list it in NO_PROXY if it can be reached directly.`,
      );
      expect(strict.count('CONNECT')).toBe(1);
      expect(sentToVendor(httpsSim)).toBe(0);
    } finally {
      await strict.stop();
    }
  });

  it('a proxy that is down: named, and an action that could not go out is a plain failure, never outcome_unknown', async () => {
    nodeHost(true);
    const down = `http://127.0.0.1:${await closedPort()}`;
    proxyEnv({ https: down });
    const err = await failure(audian(httpsSim, `https://vendor.test:${httpsPort}`).testConnection());
    expect(err.code).toBe('proxy');
    expect(err.message).toMatch(new RegExp(`^The proxy ${down.replace(/\./g, '\\.')} could not be reached \\(ECONNREFUSED\\); nothing was sent to the vendor\\.`));
    const core = new HttpCore({ baseURL: `https://vendor.test:${httpsPort}`, describeError, maxReadRetries: 0 });
    const act = await failure(core.act({ method: 'POST', path: '/v2/calls/x/hangup' }));
    expect(act.code).toBe('proxy');
  });

  it('a proxy that wants credentials: 407 said so; with them in HTTPS_PROXY it works, and they are never shown', async () => {
    const guarded = new CountingProxy({ credentials: { user: 'corp\\sup', password: 'pr0xy-p@ss' } });
    const port = Number(new URL(await guarded.start()).port);
    try {
      const t = nodeHost(true);
      proxyEnv({ https: `http://127.0.0.1:${port}` });
      const err = await failure(audian(httpsSim, `https://vendor.test:${httpsPort}`).testConnection());
      expect(err.code).toBe('proxy');
      expect(err.message).toMatch(/asks Switchboard to sign in \(407 Proxy Authentication Required\)/);

      proxyEnv({ https: `http://${encodeURIComponent('corp\\sup')}:${encodeURIComponent('pr0xy-p@ss')}@127.0.0.1:${port}` });
      await audian(httpsSim, `https://vendor.test:${httpsPort}`).testConnection();
      expect(guarded.log.at(-1)).toMatchObject({ method: 'CONNECT', status: 200, auth: `Basic ${Buffer.from('corp\\sup:pr0xy-p@ss').toString('base64')}` });
      expect(t.describe()).toBe(`HTTPS through http://127.0.0.1:${port}; direct: loopback`);
      expect(t.describe()).not.toContain('p@ss');
    } finally {
      await guarded.stop();
    }
  });
});

describe('what goes direct', () => {
  it('loopback never goes through the proxy', async () => {
    nodeHost(true);
    proxyEnv({ https: proxy.url, http: proxy.url });
    await audian(httpsSim, httpsSim.server.baseUrl).testConnection();
    await audian(httpSim, httpSim.server.baseUrl).testConnection();
    expect(proxy.count()).toBe(0);
    expect(sentToVendor(httpsSim)).toBe(2);
  });

  it('a host in NO_PROXY is reached directly: the proxy sees nothing, and the name is this computer’s to resolve', async () => {
    const t = nodeHost(true);
    proxyEnv({ https: proxy.url, no: 'localhost,.test' });
    const core = new HttpCore({ baseURL: `https://vendor.test:${httpsPort}`, describeError, maxReadRetries: 0, transport: t });
    const err = await failure(core.read({ method: 'GET', path: '/v2/accounts/x/channels' }));
    // Direct, so this computer tried to resolve vendor.test itself (only the proxy knows it).
    expect(err.code).toBe('network');
    expect(err.message).toMatch(/could not be resolved/);
    expect(proxy.count()).toBe(0);
    expect(t.describe()).toBe(`HTTPS through ${proxy.url}; direct: NO_PROXY (localhost,.test) and loopback`);
    // The same request with NO_PROXY naming another host goes through the proxy.
    proxyEnv({ https: proxy.url, no: 'example.com' });
    await core.read({ method: 'GET', path: '/v2/accounts/x/channels' }).catch(() => undefined);
    expect(proxy.count('CONNECT')).toBe(1);
  });
});

describe('plain HTTP through the proxy (HTTP_PROXY)', () => {
  it('sends each request to the proxy whole, with its absolute URI', async () => {
    nodeHost(false);
    proxyEnv({ http: proxy.url });
    const conn = audian(httpSim, `http://vendor.test:${httpPort}`);
    await conn.testConnection();
    expect(proxy.log.map((e) => `${e.method} ${e.target} ${e.status}`)).toEqual([
      `PUT http://vendor.test:${httpPort}/v2/api_auth 201`,
      expect.stringMatching(new RegExp(`^GET http://vendor\\.test:${httpPort}/v2/accounts/[^/]+/channels 200$`)),
    ]);
    expect(sentToVendor(httpSim)).toBe(2);
  });

  it('a forward proxy answering 407, or down, is named as the proxy', async () => {
    const guarded = new CountingProxy({ credentials: { user: 'u', password: 'p' } });
    await guarded.start();
    try {
      nodeHost(false);
      proxyEnv({ http: guarded.url });
      const err = await failure(audian(httpSim, `http://vendor.test:${httpPort}`).testConnection());
      expect(err.code).toBe('proxy');
      expect(err.message).toMatch(/407 Proxy Authentication Required/);
      proxyEnv({ http: `http://127.0.0.1:${await closedPort()}` });
      const down = await failure(audian(httpSim, `http://vendor.test:${httpPort}`).testConnection());
      expect(down.code).toBe('proxy');
      expect(down.message).toMatch(/could not be reached \(ECONNREFUSED\)/);
      expect(sentToVendor(httpSim)).toBe(0);
    } finally {
      await guarded.stop();
    }
  });

  it('a proxy setting that is not a URL is refused with the variable named', async () => {
    nodeHost(false);
    proxyEnv({ http: 'http://[not a host' });
    const err = await failure(audian(httpSim, `http://vendor.test:${httpPort}`).testConnection());
    expect(err.code).toBe('proxy');
    expect(err.message).toMatch(/HTTP_PROXY \(or ALL_PROXY\) variable is not a URL/);
  });
});

describe('the extra CA file (Settings → Network)', () => {
  it('direct HTTPS: refused without it, trusted with it', async () => {
    const t = nodeHost(false);
    const conn = () => audian(httpsSim, httpsSim.server.baseUrl);
    const err = await failure(conn().testConnection());
    expect(err.code).toBe('certificate');
    expect(err.message).toContain('(UNABLE_TO_VERIFY_LEAF_SIGNATURE)');
    t.useExtraCa(extraCa);
    await conn().testConnection();
    expect(t.trust()).toContain('Switchboard Test Root CA');
  });

  it('is read and checked before it is saved; a bad one is refused with the reason and nothing changes', async () => {
    const t = nodeHost(false);
    const app = await createTestApp();
    try {
      const d = app.core.dispatcher;
      const bad = await d.dispatch('settings.update', { network: { extraCaFile: 'corp-ca.pem' } });
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect(bad.ok ? '' : bad.error.message).toMatch(/needs its full path/);
      const missing = await d.dispatch('settings.update', { network: { extraCaFile: path.join(ca.dir, 'nope.pem') } });
      expect(missing.ok ? '' : missing.error.message).toBe(`There is no file at ${path.join(ca.dir, 'nope.pem')}.`);
      expect(app.core.preferences().network.extraCaFile).toBeNull();

      const good = await d.dispatch('settings.update', { network: { extraCaFile: ca.caFile } });
      expect(good.ok).toBe(true);
      expect(app.core.preferences().network.extraCaFile).toBe(ca.caFile);
      const status = await d.dispatch('network.status', {});
      expect(status).toMatchObject({ ok: true, value: { route: 'direct (no HTTPS_PROXY, HTTP_PROXY or ALL_PROXY set)', problem: null } });
      expect(status.ok && (status.value as NetworkStatus).trust).toContain(`Switchboard Test Root CA from ${ca.caFile}`);
      // The host's transport trusts it from now on.
      await audian(httpsSim, httpsSim.server.baseUrl).testConnection();
      expect(t.trust()).toContain('Switchboard Test Root CA');
    } finally {
      await app.core.stop();
      app.cleanup();
    }
  });

  it('a saved file that has gone is reported at start-up; the app starts and certificate errors say why', async () => {
    nodeHost(false);
    const dir = path.join(ca.dir, 'moved');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'ca.pem');
    writeFileSync(file, ca.caPem);
    const first = await createTestApp();
    expect((await first.core.dispatcher.dispatch('settings.update', { network: { extraCaFile: file } })).ok).toBe(true);
    await first.core.stop();
    rmSync(dir, { recursive: true });

    const again = await createTestApp({ dataDir: first.dataDir });
    try {
      await again.core.start();
      expect(again.core.network.status().problem).toBe(`There is no file at ${file}.`);
      const err = await failure(audian(httpsSim, httpsSim.server.baseUrl).testConnection());
      expect(err.code).toBe('certificate');
      expect(err.message).toContain(`The extra CA certificate file set in Settings could not be used: There is no file at ${file}.`);
    } finally {
      await again.core.stop();
      again.cleanup();
    }
  });

  it('refuses files that are not a usable CA, each with its reason', async () => {
    const dir = path.join(ca.dir, 'bad');
    mkdirSync(dir, { recursive: true });
    const write = (name: string, body: string | Buffer) => {
      const f = path.join(dir, name);
      writeFileSync(f, body);
      return f;
    };
    const reason = async (file: string, now?: number) => {
      try {
        await loadExtraCa(file, now);
      } catch (e) {
        if (e instanceof SwitchboardError && e.code === 'invalid_input') return e.message;
        throw e;
      }
      return 'accepted';
    };
    expect(await reason(dir)).toBe(`${dir} is a folder; choose the certificate file inside it.`);
    expect(await reason(write('key.pem', `${ca.caPem}${ca.serverKey}`))).toMatch(/holds a private key/);
    expect(await reason(write('notes.txt', 'not a certificate'))).toMatch(/holds no certificate: expected PEM text/);
    expect(await reason(write('cut.pem', ca.caPem.replace(/[A-Za-z]{8}\n/, '\n')))).toMatch(/Certificate 1 in .* is damaged/);
    expect(await reason(ca.caFile, Date.now() + 10 * 365 * 86_400_000)).toMatch(/is valid only from .* to .*; get a current one/);
    expect(await reason(path.join(dir, ...Array<string>(8).fill('x'.repeat(30)), 'ca.pem'))).toMatch(/^There is no file at .{60}….{40}\.$/);
    // DER (a .cer exported from a certificate manager) and a bundle of several both work.
    const der = await loadExtraCa(write('ca.cer', new X509Certificate(ca.caPem).raw));
    expect(der.subjects).toEqual(['CN=Switchboard Test Root CA']);
    const bundle = await loadExtraCa(write('bundle.pem', `${ca.caPem}\n${ca.serverCert}`));
    expect(bundle.pems).toHaveLength(2);
  });
});
