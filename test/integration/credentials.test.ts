// Credentials, end to end against the simulators: new secrets reconnect the account, a secret never
// follows its account to another host unless typed in again (also across a restart), and refused
// logins back off exponentially with the retry time shown in the account's health.
import { writeFileSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountConfig, type Secrets } from '../../main/domain/account.js';
import type { Vendor } from '../../main/domain/model.js';
import type { Encryptor } from '../../main/vault/encrypted-file-store.js';
import type { VaultOptions } from '../../main/vault/vault.js';
import { vendorRegistry } from '../../main/vendors/registry.js';
import type { VendorSimulator } from '../../main/vendors/shared/simulator.js';
import type { AccountView } from '../../preload/contract.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const ALL: Vendor[] = ['engage-voice', 'exotel', 'audian', 'livevox'];

let h: Harness | null = null;
const sims: VendorSimulator[] = [];
const apps: TestApp[] = [];
afterEach(async () => {
  await h?.stop();
  h = null;
  for (const s of sims.splice(0)) await s.stop();
  for (const a of apps.splice(0)) {
    await a.core.stop();
    a.cleanup();
  }
});

const views = async (): Promise<AccountView[]> => (await h!.request('accounts.list', {})).value as AccountView[];
const viewOf = async (id: string): Promise<AccountView> => (await views()).find((v) => v.config.id === id)!;
const wrong = (secrets: Secrets): Secrets => Object.fromEntries(Object.keys(secrets).map((k) => [k, `wrong-${k}-0000`]));

/** A second simulator of the same vendor, on its own loopback port: the "new host". */
async function otherHost(vendor: Vendor): Promise<VendorSimulator> {
  const sim = vendorRegistry[vendor].createSimulator({ seed: 777, calls: 3, agents: 3 });
  await sim.start();
  sims.push(sim);
  return sim;
}

/** The same account moved to another host: the new simulator's settings under the old id and name. */
function movedTo(config: AccountConfig, next: VendorSimulator): AccountConfig {
  return AccountConfig.parse({
    ...next.accountSettings(),
    ...(config.vendor === 'engage-voice' ? { authMode: config.authMode } : {}),
    id: config.id,
    label: config.label,
  });
}

/** Every request the host saw, as text: where a leaked secret would show. */
const everything = (sim: VendorSimulator): string => JSON.stringify(sim.server.log);

describe('a change of secrets reconnects the account', () => {
  it('wrong credentials, then the right ones: every vendor is ok again without a restart', async () => {
    const clock = new VirtualClock();
    h = await startHarness({ vendors: ALL, calls: 5, agents: 5, clock });
    for (const a of h.centre.accounts) {
      const r = await h.request('accounts.save', { account: a.config, secrets: wrong(a.secrets) });
      expect(r.ok, JSON.stringify(r.error)).toBe(true);
    }
    h.app.core.engine.start();
    await clock.advance(10_000);
    for (const a of h.centre.accounts) expect(await viewOf(a.config.id), a.config.vendor).toMatchObject({ health: 'auth_failed' });

    for (const a of h.centre.accounts) {
      const r = await h.request('accounts.save', { account: a.config, secrets: a.secrets });
      expect(r.ok, JSON.stringify(r.error)).toBe(true);
    }
    // Well inside the first backoff wait: the new credentials are used now, not when it ends.
    // (in small steps: the new logins take real time on loopback)
    for (let i = 0; i < 20; i++) await clock.advance(100, 5);
    for (const a of h.centre.accounts) expect(await viewOf(a.config.id), a.config.vendor).toMatchObject({ health: 'ok', healthDetail: null, stale: false });
  }, 30_000);

  it('a save that changes nothing keeps the connection', async () => {
    h = await startHarness({ vendors: ['audian'], calls: 3 });
    const rt = h.app.core.engine.runtime('sim-audian');
    const a = h.centre.byVendor('audian');
    expect((await h.request('accounts.save', { account: a.config })).ok).toBe(true);
    expect(h.app.core.engine.runtime('sim-audian')).toBe(rt);
    expect((await h.request('accounts.save', { account: a.config, secrets: a.secrets })).ok).toBe(true);
    expect(h.app.core.engine.runtime('sim-audian')).not.toBe(rt);
  });
});

describe('a changed host never receives secrets saved for another', () => {
  it.each(ALL)('%s: saving a new host without the secrets is refused, and the new host hears nothing', async (vendor) => {
    h = await startHarness({ vendors: [vendor], calls: 3, agents: 3 });
    const a = h.centre.byVendor(vendor);
    const next = await otherHost(vendor);
    const moved = movedTo(a.config, next);
    h.app.core.engine.start();

    const r = await h.request('accounts.save', { account: moved });
    expect(r.ok).toBe(false);
    expect(r.error!.code).toBe('invalid_input');
    expect(r.error!.message).toContain(`now connects to ${next.server.baseUrl}`);
    expect(r.error!.message).toMatch(/^Enter the .+ again: /);
    // Nothing changed: the account still points at its old host, with its secrets, and works.
    expect((await viewOf(a.config.id)).config).toEqual(a.config);
    expect((await h.request('accounts.test', { id: a.config.id })).value).toEqual({ ok: true, error: null });

    // Typing in only some of the secrets is not enough either.
    const used = Object.keys(a.secrets).filter((k) => vendor !== 'engage-voice' || k !== 'apiToken');
    if (used.length > 1) {
      const partial = await h.request('accounts.save', { account: moved, secrets: { [used[0]!]: 'typed-again' } });
      expect(partial.error?.code).toBe('invalid_input');
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(next.server.log, 'the new host was never contacted').toEqual([]);

    // With the secrets typed in again, the move goes through and the new host gets those.
    const typed = await h.request('accounts.save', { account: moved, secrets: next.credentials });
    expect(typed.ok, JSON.stringify(typed.error)).toBe(true);
    expect((await h.request('accounts.test', { id: a.config.id })).value).toEqual({ ok: true, error: null });
    for (const value of Object.values(a.secrets)) if (!Object.values(next.credentials).includes(value)) expect(everything(next)).not.toContain(value);
  });

  it('Exotel: changing only the region (v1 host) needs both secrets again', async () => {
    h = await startHarness({ vendors: ['exotel'], calls: 3 });
    const a = h.centre.byVendor('exotel');
    const next = await otherHost('exotel');
    const r = await h.request('accounts.save', { account: { ...a.config, v1BaseUrl: next.server.baseUrl } });
    expect(r.error?.code).toBe('invalid_input');
    expect(r.error?.message).toMatch(/^Enter the API key and API token again: they were saved for /);
  });

  it('holds across a restart: settings moved to another host by hand get no secret, and the supervisor is told', async () => {
    const encryptor: Encryptor = {
      isEncryptionAvailable: () => true,
      backend: () => 'gnome_libsecret',
      encryptString: (s) => Buffer.from(`enc:${Buffer.from(s).toString('hex')}`),
      decryptString: (b) => Buffer.from(b.toString().replace(/^enc:/, ''), 'hex').toString(),
    };
    const noKeychain: VaultOptions['probe'] = async () => ({ error: 'no keychain (test)' });
    const old = vendorRegistry.audian.createSimulator({ seed: 11, calls: 3 });
    await old.start();
    sims.push(old);
    const next = await otherHost('audian');
    const config = AccountConfig.parse({ ...old.accountSettings(), id: 'au', label: 'Audian' });

    const first = await createTestApp({ keychainProbe: noKeychain, encryptor });
    apps.push(first);
    expect((await first.core.dispatcher.dispatch('accounts.save', { account: config, secrets: old.credentials })).ok).toBe(true);
    await first.core.stop();

    // The base URL edited in settings.json while the app was closed.
    const onDisk = readFileSync(first.settingsPath, 'utf8');
    writeFileSync(first.settingsPath, onDisk.replaceAll(old.server.baseUrl, next.server.baseUrl));
    const second = await createTestApp({ dataDir: first.dataDir, keychainProbe: noKeychain, encryptor });
    apps.push(second);
    await second.core.start();
    await new Promise((r) => setTimeout(r, 1_500));

    expect(everything(next)).not.toContain(old.credentials.apiKey!);
    expect(next.server.log, 'nothing to send without a secret for this host').toEqual([]);
    const test = (await second.core.dispatcher.dispatch('accounts.test', { id: 'au' })) as { value: { ok: boolean; error: { code: string; message: string } } };
    expect(test.value.ok).toBe(false);
    expect(test.value.error.code).toBe('not_configured');
    expect(test.value.error.message).toBe(
      `Enter the API key again: it was saved for ${old.server.baseUrl}, and this account now connects to ${next.server.baseUrl}. Saved credentials are only ever sent to the host they were entered for.`,
    );
    const list = (await second.core.dispatcher.dispatch('accounts.list', {})) as { value: AccountView[] };
    expect(list.value[0]).toMatchObject({ secretsSet: [], health: 'auth_failed' });
    expect(next.server.log).toEqual([]);
  });
});

describe('refused logins back off', () => {
  const STEP = 250;
  const clockText = (ms: number): string => new Date(ms).toTimeString().slice(0, 8);

  /**
   * The virtual times (from the start) at which logins reached the simulator, sampled every STEP: a
   * login answered while time moves on is seen up to one step late, hence the tolerances below.
   */
  async function loginTimes(
    clock: VirtualClock,
    sim: VendorSimulator,
    login: RegExp,
    done: (times: number[], elapsed: number) => boolean,
    step = STEP,
  ): Promise<number[]> {
    const t0 = clock.now();
    const before = sim.server.calls(login).length;
    const times: number[] = [];
    while (!done(times, clock.now() - t0)) {
      await clock.advance(step, 2);
      const n = sim.server.calls(login).length - before;
      while (times.length < n) times.push(clock.now() - t0);
    }
    return times;
  }
  const gapsOf = (times: number[]): number[] => times.slice(1).map((t, i) => t - times[i]!);
  const near = (actual: number[], expected: number[], step = STEP): void => {
    expect(actual.length, `${actual.join(', ')} vs ${expected.join(', ')}`).toBe(expected.length);
    actual.forEach((a, i) => expect(Math.abs(a - expected[i]!), `gap ${i + 1}: ${actual.join(', ')}`).toBeLessThanOrEqual(2 * step));
  };

  it.each([
    ['livevox', /^POST \/session\/login$/],
    ['audian', /^PUT \/v2\/api_auth$/],
  ] as const)('%s: a refused login is tried again after 5, 10, 20 s …, and health says when', async (vendor, login) => {
    const clock = new VirtualClock();
    h = await startHarness({ vendors: [vendor], calls: 3, agents: 3, clock });
    const a = h.centre.byVendor(vendor);
    expect((await h.request('accounts.save', { account: a.config, secrets: wrong(a.secrets) })).ok).toBe(true);
    a.sim.server.clearLog();
    const start = clock.now();
    h.app.core.engine.start();

    const times = await loginTimes(clock, a.sim, login, (_t, elapsed) => elapsed >= 60_000);
    expect(times, 'four logins in the first minute, not one a poll').toHaveLength(4);
    near(gapsOf(times), [5_000, 10_000, 20_000]);
    // Nothing but those logins went out: the other pollers waited too.
    expect(a.sim.server.log).toHaveLength(4);

    const view = await viewOf(a.config.id);
    expect(view.health).toBe('auth_failed');
    const shown = /Retrying at (\d\d:\d\d:\d\d)\.$/.exec(view.healthDetail ?? '')?.[1];
    expect(shown, view.healthDetail ?? '').toBeDefined();
    // The time shown is when the next login goes out: 40 s after the fourth.
    const fifth = await loginTimes(clock, a.sim, login, (t) => t.length >= 1);
    const at = start + 60_000 + fifth[0]!;
    expect(at - (start + times[3]!)).toBeGreaterThanOrEqual(40_000 - 2 * STEP);
    const candidates = Array.from({ length: 8 }, (_, i) => clockText(at - i * STEP));
    expect(candidates).toContain(shown);
  }, 30_000);

  it('caps the wait at five minutes, and a login that works resets it', async () => {
    const clock = new VirtualClock();
    h = await startHarness({ vendors: ['livevox'], calls: 3, agents: 3, clock });
    const a = h.centre.byVendor('livevox');
    const login = /^POST \/session\/login$/;
    // The vendor refuses the right credentials for a while (a lock on its side), then takes them.
    a.sim.server.clearLog();
    a.sim.server.injectFault({ kind: 'status', status: 401, match: login, times: 9 });
    h.app.core.engine.start();
    const times = await loginTimes(clock, a.sim, login, (t) => t.length >= 10, 1_000);
    near(gapsOf(times), [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000], 1_000);
    await clock.advance(2_000);
    expect((await viewOf(a.config.id)).health).toBe('ok');

    // Refused again later: the wait starts over at 5 s.
    a.sim.server.injectFault({ kind: 'expire_auth' });
    a.sim.server.injectFault({ kind: 'status', status: 401, match: login, times: 1 });
    while ((await viewOf(a.config.id)).health === 'ok') await clock.advance(STEP, 2);
    const shown = /Retrying at (\d\d:\d\d:\d\d)\.$/.exec((await viewOf(a.config.id)).healthDetail ?? '')?.[1];
    const candidates = Array.from({ length: 8 }, (_, i) => clockText(clock.now() + 5_000 - i * STEP));
    expect(candidates).toContain(shown);
    await clock.advance(6_000);
    expect((await viewOf(a.config.id)).health).toBe('ok');
  }, 60_000);

  it('a passing Test connection ends the wait at once', async () => {
    const clock = new VirtualClock();
    h = await startHarness({ vendors: ['audian'], calls: 3, clock });
    const a = h.centre.byVendor('audian');
    a.sim.server.injectFault({ kind: 'status', status: 401, match: /api_auth/, times: 4 });
    h.app.core.engine.start();
    await clock.advance(40_000);
    const waiting = await viewOf(a.config.id);
    expect(waiting.health).toBe('auth_failed');
    expect(waiting.healthDetail).toMatch(/Retrying at /);
    expect((await h.request('accounts.test', { id: a.config.id })).value).toEqual({ ok: true, error: null });
    // Half a virtual second, far inside the 40 s wait, in small steps: the poll it lets through is real
    // HTTP to the simulator, which a loaded machine may take several real milliseconds to answer.
    for (let step = 0; step < 50 && (await viewOf(a.config.id)).health !== 'ok'; step++) await clock.advance(10, 20);
    expect(await viewOf(a.config.id)).toMatchObject({ health: 'ok', healthDetail: null });
  }, 30_000);
});
