// A careless vendor, on every vendor: its error bodies quote the account's credentials in every form
// (as sent, URL- and form-encoded, base64, JSON- and XML-escaped, the Basic pair) and echo whatever
// the request carried (its auth headers, session tokens and login body). Polls, actions, logins and
// connection tests all fail with such bodies. Afterwards no credential, in any of those forms, is in a
// health detail, a vendorMessage, the log file, the audit file, an event bound for the renderer or
// anything printed, while the vendor's words themselves did come through (masked).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AccountConfig } from '../../main/domain/account.js';
import { VENDORS, type Agent, type Call, type Vendor } from '../../main/domain/model.js';
import type { SimulatedAccount } from '../../main/demo/simulated-centre.js';
import { vendorRegistry } from '../../main/vendors/registry.js';
import type { AccountView } from '../../preload/contract.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';
import { filesUnder } from '../helpers/files.js';

const LIST = /activeCalls\/list|\/calls\/active|\/channels$|agents\/status/;
const LOGIN: Partial<Record<Vendor, RegExp>> = {
  // Refresh first, then the RingCentral JWT grant: both answer with the echo.
  'engage-voice': /\/api\/auth\/|\/restapi\/oauth\/token$/,
  audian: /\/v2\/api_auth$/,
  livevox: /\/session\/login$/,
  // Exotel has no login: its Basic pair rides on every request, and every echo below quotes it.
};
const unlimited = { 'engage-voice': 100_000, exotel: 100_000, audian: 100_000, livevox: 100_000 };

const b64 = (s: string) => Buffer.from(s).toString('base64');
/** The forms a vendor might echo a value in, written out here independently of the product's own list. */
function encodings(s: string): string[] {
  return [
    s,
    encodeURIComponent(s),
    new URLSearchParams({ v: s }).toString().slice(2),
    b64(s),
    b64(s).replace(/=+$/, ''),
    b64(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
    JSON.stringify(s).slice(1, -1),
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
  ];
}

const secretsOf = (a: SimulatedAccount): string[] => Object.values(a.secrets).filter((s): s is string => typeof s === 'string');
/** The Basic pairs the account's requests carry. */
function basicPairs(a: SimulatedAccount): string[] {
  const s = a.secrets;
  if (a.config.vendor === 'exotel') return [b64(`${s.apiKey}:${s.apiToken}`)];
  if (a.config.vendor === 'engage-voice' && a.config.rcClientId) return [b64(`${a.config.rcClientId}:${s.rcClientSecret}`)];
  return [];
}
/** What the vendor says: every credential of the account in every form, and the Basic pairs as headers. */
const echoed = (a: SimulatedAccount): string =>
  `Refused. You sent: ${[...new Set([...secretsOf(a).flatMap(encodings), ...basicPairs(a).map((p) => `Authorization: Basic ${p}`)])].join(' ; ')}`;

/** Credentials the vendor saw on the wire (session ids, access tokens, Basic pairs), from its own log. */
function credentialsSeen(a: SimulatedAccount): string[] {
  const out = new Set<string>();
  for (const l of a.sim.server.log) {
    for (const name of ['authorization', 'x-auth-token', 'lv-access', 'lv-session']) {
      const v = l.headers[name];
      if (!v) continue;
      out.add(v);
      const bare = /^(?:basic|bearer)\s+(\S+)$/i.exec(v)?.[1];
      if (bare) out.add(bare);
    }
  }
  return [...out];
}

let h: Harness;
const printed: string[] = [];
const answers: unknown[] = [];
const request = async (name: string, input: unknown) => {
  const r = await h.request(name, input);
  answers.push(r);
  return r;
};

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
  }
  // Credentials unique to this run: every simulator derives its own from the seed.
  h = await startHarness({ seed: 100_000 + Math.floor(Math.random() * 800_000), calls: 12, agents: 16, engine: { timeoutMs: 1_500, budgetPerMinute: unlimited } });
  for (const a of h.centre.accounts) {
    const rt = h.app.core.engine.runtime(a.config.id)!;
    await rt.pollCalls();
    if (rt.connector.capabilities['agents.list'].supported) await rt.pollAgents();
  }
}, 30_000);
afterAll(async () => {
  await h.stop();
  vi.restoreAllMocks();
});

const view = async (id: string) => ((await request('accounts.list', {})).value as AccountView[]).find((v) => v.config.id === id)!;
const inProgress = (vendor: Vendor): Call[] => h.app.core.engine.calls().filter((c) => c.vendor === vendor && c.status === 'in_progress' && c.sessions.length === 0);

type Outcome = { ok: boolean; said: string };
/** One action per vendor: what the vendor said back, as the supervisor sees it. */
const ACTIONS: Record<Vendor, { route: RegExp; run: () => Promise<Outcome> }> = {
  'engage-voice': {
    route: /toggleCallRecording$/,
    run: () => said(request('calls.action', { callKey: inProgress('engage-voice')[0]!.key, action: { type: 'recording', on: true } })),
  },
  exotel: { route: /^POST .*\/Legs(\.json)?$/, run: () => said(request('calls.monitor', { callKey: inProgress('exotel')[0]!.key, mode: 'barge' })) },
  audian: { route: /\/play-audio$/, run: () => said(request('calls.action', { callKey: inProgress('audian')[0]!.key, action: { type: 'play', message: 'Hello', participant: 'both' } })) },
  livevox: {
    route: /status\/ready$/,
    run: async () => {
      // Any agent: the echo answers before LiveVox looks at its state.
      const agent = h.app.core.engine.agents().find((a) => a.vendor === 'livevox')!;
      const r = await request('agents.action', { agentKeys: [agent.key], action: { type: 'ready' } });
      const per = (r.value as { ok: boolean; detail: string }[])[0]!;
      return { ok: per.ok, said: per.detail };
    },
  },
};
async function said(p: ReturnType<Harness['request']>): Promise<Outcome> {
  const r = await p;
  return { ok: r.ok, said: r.error ? `${r.error.message} ${r.error.vendorMessage ?? ''}` : '' };
}

/** Runs every kind of request against the echoing vendor; returns the texts the supervisor was shown. */
async function provoke(a: SimulatedAccount): Promise<string[]> {
  const shown: string[] = [];
  const server = a.sim.server;
  const rt = h.app.core.engine.runtime(a.config.id)!;
  const message = echoed(a);
  // Polls: refused (403), unavailable (503, retried), invalid (400).
  for (const status of [403, 503, 400]) {
    server.injectFault({ kind: 'status', status, message, echo: true, match: LIST });
    await rt.pollCalls();
    shown.push((await view(a.config.id)).healthDetail ?? '');
    server.clearFaults();
    await rt.pollCalls();
  }
  // Actions: refused (400), and failed with the outcome unknown (500).
  for (const status of [400, 500]) {
    server.injectFault({ kind: 'status', status, message, echo: true, match: ACTIONS[a.config.vendor].route, times: 1 });
    const out = await ACTIONS[a.config.vendor].run();
    expect(out.ok).toBe(false);
    shown.push(out.said);
    server.clearFaults();
  }
  // A login the vendor refuses, quoting the login it was sent.
  const login = LOGIN[a.config.vendor];
  if (login) {
    server.injectFault({ kind: 'expire_auth' });
    server.injectFault({ kind: 'status', status: 400, message, echo: true, match: login });
    await rt.pollCalls();
    shown.push((await view(a.config.id)).healthDetail ?? '');
    server.clearFaults();
  }
  // Test connection, with every request answered by the echo.
  server.injectFault({ kind: 'status', status: 403, message, echo: true });
  const tested = (await request('accounts.test', { id: a.config.id })).value as { ok: boolean; error: { message: string; vendorMessage?: string } | null };
  expect(tested.ok).toBe(false);
  shown.push(`${tested.error?.message} ${tested.error?.vendorMessage ?? ''}`);
  server.clearFaults();
  await rt.pollCalls();
  expect((await view(a.config.id)).health).toBe('ok');
  return shown;
}

describe('a vendor that echoes credentials', () => {
  it('no credential, in any form, reaches health, vendorMessage, the log, the audit, events or the console', async () => {
    const shown = new Map<Vendor, string[]>();
    await Promise.all(VENDORS.map(async (v) => shown.set(v, await provoke(h.centre.byVendor(v)))));
    await request('audit.exportCsv', {});
    await request('audit.list', { limit: 10_000 });

    // The vendor's words did come through, masked: this is not a test of an echo that never arrived.
    for (const v of VENDORS) {
      const texts = shown.get(v)!;
      expect(texts.filter((t) => t.includes('***')).length, `${v}: masked echoes shown: ${JSON.stringify(texts)}`).toBeGreaterThanOrEqual(texts.length - 1);
    }

    const needles = [
      ...new Set(
        h.centre.accounts.flatMap((a) => [...secretsOf(a).flatMap(encodings), ...basicPairs(a), ...credentialsSeen(a)]).filter((n) => n.length >= 6),
      ),
    ];
    // Each vendor's credentials were on the wire (and so in the echoes): sessions, tokens, Basic pairs.
    for (const a of h.centre.accounts) expect(credentialsSeen(a).length, a.config.vendor).toBeGreaterThan(0);
    expect(needles.length).toBeGreaterThanOrEqual(30);
    const haystacks: [string, string][] = [
      ...h.events.map((e, i): [string, string] => [`event ${i} ${e.name}`, JSON.stringify(e.payload)]),
      ...answers.map((r, i): [string, string] => [`answer ${i}`, JSON.stringify(r)]),
      ...filesUnder(h.app.dataDir).map((f): [string, string] => [f, readFileSync(f, 'utf8')]),
      ...printed.map((p, i): [string, string] => [`console ${i}`, p]),
    ];
    expect(filesUnder(h.app.dataDir).some((f) => f.endsWith('switchboard.log'))).toBe(true);
    expect(filesUnder(h.app.dataDir).some((f) => f.endsWith('audit.jsonl'))).toBe(true);
    const hits = haystacks.flatMap(([where, text]) => needles.filter((n) => text.includes(n)).map((n) => `${where}: ${n}`));
    expect(hits).toEqual([]);
  }, 90_000);
});

describe('LiveVox per-agent results that quote the credentials', () => {
  // A success answer whose per-agent words (shown on the agent board) repeat the login it was sent.
  it('shows each agent its result with every credential masked', async () => {
    const creds = { accessToken: 'LVA-echo-access-7731', password: 'pw echo/7731&' };
    let sessionId = '';
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.setHeader('Content-Type', 'application/json');
        if (req.url === '/session/login') {
          sessionId = 'LVS-session-0042';
          res.end(JSON.stringify({ sessionId, userId: 7 }));
          return;
        }
        const sent = `password=${encodeURIComponent(creds.password)} access=${String(req.headers['lv-access'])} session=${String(req.headers['lv-session'])}`;
        res.end(JSON.stringify({ agents: [{ agentLoginId: 'ag1', status: `Success (${sent})` }, { agentLoginId: 'ag2', status: `failed: ${creds.password}` }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const account = AccountConfig.parse({
        vendor: 'livevox',
        id: 'lv-echo',
        label: 'LiveVox echo',
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        clientName: 'c',
        userName: 'u',
      });
      const connector = vendorRegistry.livevox.createConnector(account, creds, { timeoutMs: 2_000 });
      const agent = (loginId: string) => ({ loginId }) as Agent;
      const results = await connector.agentAction([agent('ag1'), agent('ag2')], { type: 'ready' });
      expect(results.map((r) => r.ok)).toEqual([true, false]);
      expect(sessionId).not.toBe('');
      const shown = JSON.stringify(results);
      expect(shown).toContain('***');
      for (const s of [creds.accessToken, creds.password, encodeURIComponent(creds.password), sessionId]) expect(shown).not.toContain(s);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
