// Every contract request fed generated payloads through the real dispatcher and validation, against
// a real core connected to the four vendor simulators. Payloads are shaped by the request's own
// input schema (test/helpers/schema-arbitrary.ts), so most of them pass validation and reach the
// handler carrying nasty text (markup, control and bidi characters, emoji, prototype names, strings
// at their maximum length), boundary numbers and the keys of real and missing calls, agents and
// accounts; about one in five is a near miss (a field replaced by a bad value, an unknown key, a
// key removed). For every answer: never a throw; a payload the schema refuses is invalid_input and
// no handler ran; an ok value passes the request's output schema; an error has a stable code, no
// stack and no huge echo. Side-effect requests run against a second, throwaway core.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_FIELDS } from '../../main/domain/account.js';
import { ERROR_CODES, REQUEST_NAMES, requests, type RequestName } from '../../preload/contract.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';
import { HUGE_STRINGS, mutated, schemaArbitrary, type Override } from '../helpers/schema-arbitrary.js';

/** Fixed, so a run is repeatable; FUZZ_SEED=<n> explores other payloads, FUZZ_REPORT=1 prints the counts. */
const SEED = Number(process.env.FUZZ_SEED ?? 2026);
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
/** An error message may name a key or a field; it never carries a payload's long text back. */
const MAX_MESSAGE = 4_000;
/** Requests that change the app or its settings run against the throwaway core. */
const SIDE_EFFECTS = new Set<RequestName>(['accounts.save', 'accounts.remove', 'demo.set', 'vault.allowPlaintext', 'settings.update', 'onboarding.welcomed', 'notifications.setDoNotDisturb']);
/** Hang-ups and log-offs shrink the live picture, so these run after the requests that need it. */
const LAST: RequestName[] = ['calls.action', 'agents.action'];
const ORDER = [...REQUEST_NAMES.filter((n) => !LAST.includes(n)), ...LAST];

interface Pools {
  accountIds: string[];
  callKeys: string[];
  agentKeys: string[];
  /** Keys that were live when the run started and are gone now (hung up, logged off). */
  goneKeys: string[];
  loginIds: string[];
  serviceIds: string[];
}
interface Stats {
  runs: number;
  valid: number;
  handled: number;
  nastyHandled: number;
  ok: number;
  errors: Record<string, number>;
}

let live: Harness;
let scratch: Harness;
let firstKeys: string[] = [];
let serviceIds: string[] = [];
const handled = new Map<Harness, Map<string, number>>();
const stats = new Map<RequestName, Stats>();

/** Counts each handler's runs, so "no handler ran" is observed rather than inferred. */
function countHandlers(h: Harness): void {
  const counts = new Map<string, number>();
  const table = Reflect.get(h.app.core.dispatcher, 'handlers') as Record<string, (input: unknown) => unknown>;
  for (const name of REQUEST_NAMES) {
    const real = table[name]!;
    table[name] = (input) => {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return real(input);
    };
  }
  handled.set(h, counts);
}

/** The live app's calls and agents as they are now (the engine is not polling by itself). */
async function livePools(): Promise<Pools> {
  const engine = live.app.core.engine;
  for (const a of live.centre.accounts) {
    const rt = engine.runtime(a.config.id)!;
    await rt.pollCalls();
    if (rt.connector.capabilities['agents.list'].supported) await rt.pollAgents();
  }
  const callKeys = engine.calls().map((c) => c.key);
  const agentKeys = engine.agents().map((a) => a.key);
  const now = new Set([...callKeys, ...agentKeys]);
  return {
    accountIds: live.centre.accounts.map((a) => a.config.id),
    callKeys,
    agentKeys,
    goneKeys: firstKeys.filter((k) => !now.has(k)),
    loginIds: engine.agents().map((a) => a.loginId),
    serviceIds,
  };
}

beforeAll(async () => {
  // Request budgets out of the way: the fuzz sends far more than a supervisor could in a minute, and
  // waiting out the budget (60 s windows) would measure pacing, not input handling.
  // A generous timeout: with the whole suite running on two cores, a first poll can take seconds.
  const engine = { timeoutMs: 10_000, budgetPerMinute: { 'engage-voice': 1e6, exotel: 1e6, audian: 1e6, livevox: 1e6 } };
  [live, scratch] = await Promise.all([startHarness({ calls: 6, agents: 8, engine }), startHarness({ calls: 2, agents: 2, seed: 7, engine })]);
  for (const a of live.centre.accounts) {
    const services = await live.request('services.list', { accountId: a.config.id });
    if (services.ok) serviceIds.push(...(services.value as { id: string }[]).map((s) => s.id));
  }
  const pools = await livePools();
  firstKeys = [...pools.callKeys, ...pools.agentKeys];
  expect(pools.callKeys.length).toBeGreaterThan(10);
  expect(pools.agentKeys.length).toBeGreaterThan(10);
  countHandlers(live);
  countHandlers(scratch);
}, 60_000);
afterAll(async () => {
  if (process.env.FUZZ_REPORT) console.table(ORDER.map((n) => ({ request: n, ...stats.get(n), errors: JSON.stringify(stats.get(n)?.errors ?? {}) })));
  // The throwaway app's accounts go through accounts.remove, so their secrets leave the vault too.
  if (scratch) for (const a of await scratch.app.core.accountViews()) await scratch.request('accounts.remove', { id: a.config.id });
  await Promise.all([live?.stop(), scratch?.stop()]);
});

/** Keys of live things, keys that look right but name nothing, and the walker's own nasty text. */
function keyed(real: readonly string[], ghosts: readonly string[], own: () => fc.Arbitrary<unknown>, weights = [8, 3, 2]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: weights[0]!, arbitrary: fc.constantFrom(...real) },
    { weight: weights[1]!, arbitrary: fc.constantFrom(...ghosts) },
    { weight: weights[2]!, arbitrary: own() },
  );
}
function ghostKeys(p: Pools, others: readonly string[]): string[] {
  const tails = ['no-such-thing', '', '__proto__', 'constructor', '<img src=x onerror=alert(1)>', '\u202Eevil'];
  return [
    ...p.accountIds.flatMap((a) => tails.map((t) => `${a}:${t}`)),
    ...p.goneKeys,
    ...others.slice(0, 3),
    'no-such-account:1',
    '__proto__',
    'constructor:1',
    'toString',
    ':',
    'demo-audian:1',
  ];
}

/** Where a path names a call, an agent, an account, a service or a user: live ones, missing ones, nasty ones. */
function overrideFor(name: RequestName, p: Pools): Override {
  // Each accounts.test is a fresh RingCentral login, which Engage Voice (and its simulator) allows
  // 5 times a minute; past that the test waits out Retry-After (up to 60 s), so it is tested on the
  // other three vendors' accounts here.
  const accountIds = name === 'accounts.test' ? p.accountIds.filter((id) => !id.includes('engage-voice')) : p.accountIds;
  return (path, own) => {
    const at = path.join('.');
    const last = path.at(-1);
    if (last === 'callKey') return keyed(p.callKeys, ghostKeys(p, p.agentKeys), own);
    if (last === 'agentKey' || at === 'agentKeys.[]') return keyed(p.agentKeys, ghostKeys(p, p.callKeys), own);
    const ghostAccounts = ['no-such-account', 'demo-audian', '__proto__', 'constructor', 'sim'];
    if (at === 'id' || at === 'accountId') return keyed(accountIds, ghostAccounts, own);
    // Saving over a live account of another vendor is refused; mostly new ids, so the save runs.
    if (at === 'account.id') return keyed(accountIds, ghostAccounts, own, [2, 1, 6]);
    if (last === 'serviceId' && p.serviceIds.length) return fc.oneof(fc.constantFrom(...p.serviceIds), own());
    if (at === 'call.username') return fc.oneof(fc.constantFrom(...p.loginIds), own());
    // A time zone is checked against Intl (a refinement the walker cannot see): mostly real zones.
    if (at === 'account.timeZone') return fc.oneof({ weight: 4, arbitrary: fc.constantFrom('UTC', 'Asia/Kolkata', 'America/New_York', 'Europe/London', 'UTC+05:30') }, { weight: 1, arbitrary: own() });
    return undefined;
  };
}

/** The request's payloads: its schema's shape, and where the schema cannot say what a handler takes, help. */
function payloads(name: RequestName, p: Pools): fc.Arbitrary<unknown> {
  const arb = schemaArbitrary(requests[name].input, overrideFor(name, p));
  if (name === 'accounts.manualCall') {
    // Only Engage Voice places manual calls, and only for its own agents: pair them half the time.
    const ev = p.accountIds.find((id) => id.includes('engage-voice'))!;
    const users = p.agentKeys.filter((k) => k.startsWith(`${ev}:`)).map((k) => k.slice(ev.length + 1));
    if (!users.length) return arb;
    return fc.tuple(arb, fc.boolean(), fc.constantFrom(...users)).map(([v, pair, username]) => {
      const { call } = v as { call: Record<string, unknown> };
      return pair ? { accountId: ev, call: { ...call, username } } : v;
    });
  }
  if (name !== 'accounts.save') return arb;
  // Any secret field passes the schema, but the handler refuses one the vendor does not have: keep
  // to the account's own fields three times in four, so the save itself runs.
  return fc.tuple(arb, fc.nat(3)).map(([v, n]) => {
    const { account, secrets } = v as { account: { vendor: keyof typeof SECRET_FIELDS }; secrets?: Record<string, string> };
    if (n === 0 || !secrets) return v;
    const own: readonly string[] = SECRET_FIELDS[account.vendor];
    return { account, secrets: Object.fromEntries(Object.entries(secrets).filter(([k]) => own.includes(k))) };
  });
}

/**
 * What a request needs first for its ok branch to be reachable at all: there is one monitoring
 * session at a time, so calls.stopMonitor on a call gets one started on it first (through the
 * handler, which is not counted against the request under test).
 */
async function prepare(h: Harness, name: RequestName, input: unknown): Promise<void> {
  const callKey = (input as { callKey?: unknown } | null)?.callKey;
  if (name === 'calls.stopMonitor' && typeof callKey === 'string') await h.request('calls.monitor', { callKey, mode: 'listen' });
}

const NASTY = /[<>\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]|__proto__|constructor/;
function hasNasty(v: unknown): boolean {
  if (typeof v === 'string') return NASTY.test(v) || v.length >= 1_000;
  if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => NASTY.test(k) || hasNasty(x));
  return false;
}

function checkMessage(text: string | undefined): void {
  if (text === undefined) return;
  expect(typeof text).toBe('string');
  expect(text).not.toMatch(/\n\s+at /); // never a stack
  expect(text.length).toBeLessThanOrEqual(MAX_MESSAGE);
  for (const huge of HUGE_STRINGS) expect(text.includes(huge.slice(0, 500))).toBe(false);
}

describe('contract fuzz', () => {
  it.each(ORDER)('%s: schema-shaped payloads give a typed, schema-valid result', async (name) => {
    const h = SIDE_EFFECTS.has(name) ? scratch : live;
    const arb = mutated(payloads(name, await livePools()));
    const counts = handled.get(h)!;
    const { input: inputSchema, output: outputSchema } = requests[name];
    const s: Stats = { runs: 0, valid: 0, handled: 0, nastyHandled: 0, ok: 0, errors: {} };
    stats.set(name, s);
    await fc.assert(
      fc.asyncProperty(arb, async (input) => {
        await prepare(h, name, input);
        // A missing payload (null or undefined) is read as {}, as IPC sends for argument-less requests.
        const valid = inputSchema.safeParse(input ?? {}).success;
        const before = counts.get(name) ?? 0;
        let result: Awaited<ReturnType<Harness['request']>>;
        try {
          result = await h.request(name, input);
        } catch (err) {
          throw new Error(`${name} threw for ${JSON.stringify(input)?.slice(0, 300)}: ${String(err)}`);
        }
        const ran = (counts.get(name) ?? 0) - before;
        s.runs++;
        if (valid) s.valid++;
        s.handled += ran;
        if (ran && hasNasty(input)) s.nastyHandled++;
        if (result.ok) s.ok++;
        else s.errors[result.error!.code] = (s.errors[result.error!.code] ?? 0) + 1;

        if (!valid) {
          expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
          expect(ran, 'a handler ran for a payload its schema refuses').toBe(0);
        } else {
          expect(ran, 'a valid payload never reached its handler').toBe(1);
        }
        if (result.ok) {
          const out = outputSchema.safeParse(result.value);
          if (!out.success) throw new Error(`${name}: ok value fails its output schema: ${out.error.message.slice(0, 500)}`);
        } else {
          expect(ERROR_CODES).toContain(result.error!.code);
          checkMessage(result.error!.message);
          checkMessage(result.error!.vendorMessage);
        }
      }),
      { numRuns: RUNS, seed: SEED + REQUEST_NAMES.indexOf(name) },
    );
    // If generation regresses to garbage, most payloads stop reaching a handler: fail then.
    expect(s.handled / s.runs, `${name}: share of payloads that reached the handler`).toBeGreaterThanOrEqual(0.5);
    expect(s.handled).toBe(s.valid);
    // 150 payloads of demo.set each start or stop four simulators and write their secrets to the
    // keychain: on a shared two-core machine that alone passed 20 s, with nothing wrong.
  }, 60_000);

  it('nasty text reached the handlers of every request that takes text', () => {
    const takesText: RequestName[] = ['accounts.save', 'accounts.remove', 'accounts.test', 'accounts.manualCall', 'services.list', 'calls.view', 'calls.monitor', 'calls.stopMonitor', 'calls.action', 'agents.action', 'chat.broadcast', 'chat.send', 'chat.end', 'settings.update'];
    for (const name of takesText) expect(stats.get(name)?.nastyHandled, name).toBeGreaterThan(0);
  });

  // zod's "Unrecognized key(s)" message lists every unknown key in full; the dispatcher shows a few,
  // each cut short, so neither a 10k-character key nor thousands of keys come back in the error.
  // (UNKNOWN_KEYS in schema-arbitrary.ts carries a 10k-character key for the fuzz itself.)
  it('an invalid_input message stays short whatever unknown keys a payload carries', async () => {
    const huge = HUGE_STRINGS[0]!;
    const cases: [RequestName, unknown][] = [
      ['app.info', { [huge]: 1 }],
      ['app.info', Object.fromEntries(Array.from({ length: 3_000 }, (_, i) => [`k${i}`, 1]))],
      ['accounts.save', { account: { vendor: 'audian', id: 'x', label: 'x' }, secrets: { [huge]: 'x' } }],
    ];
    for (const [name, input] of cases) {
      const r = await live.request(name, input);
      expect(r.error?.code).toBe('invalid_input');
      expect(r.error!.message.length, `${name} message length`).toBeLessThanOrEqual(MAX_MESSAGE);
    }
  });

  it('no payload polluted Object.prototype', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('unknown request names and prototype keys are refused as invalid_input', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'calls.monitor ', '', 42]) {
      expect(await live.app.core.dispatcher.dispatch(name, {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
  });

  it('bad phone numbers never reach a vendor', async () => {
    // Validation comes first, so the key of a call the fuzz may since have hung up does as well.
    const callKey = firstKeys.find((k) => k.startsWith(`${live.centre.byVendor('audian').config.id}:`))!;
    const sim = live.centre.byVendor('audian').sim.server;
    sim.clearLog();
    for (const destination of ['12ab', '+', '', '123456789012345678', '<b>1</b>', '+1 415 555', '\u0000123']) {
      const r = await live.request('calls.action', { callKey, action: { type: 'transfer', destination, mode: 'blind' } });
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(sim.log).toHaveLength(0);
  });

  it('URLs a vendor would fetch that are not http(s) never reach it', async () => {
    const callKey = firstKeys.find((k) => k.startsWith(`${live.centre.byVendor('audian').config.id}:`))!;
    const sim = live.centre.byVendor('audian').sim.server;
    sim.clearLog();
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'ftp://example.test/a.wav']) {
      for (const action of [{ type: 'hold', holdMusicUrl: url }, { type: 'play', audioUrl: url, participant: 'both' }]) {
        const r = await live.request('calls.action', { callKey, action });
        expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
        expect(r.error!.message).toMatch(/: an http:\/\/ or https:\/\/ URL$/);
      }
    }
    expect(sim.log).toHaveLength(0);
  });
});
