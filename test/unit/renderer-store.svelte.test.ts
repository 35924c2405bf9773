// The renderer's store writes itself: views read it and call its methods, and only events and the
// results of those methods change it. Run on Svelte's browser runtime over a stand-in bridge.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppState } from '../../renderer/src/lib/app-state.svelte.js';
import { accountView, failed, fakeBridge, ok, preferences } from '../helpers/renderer-bridge.js';
import type { RequestOutput } from '../../preload/contract.js';

type AppInfo = RequestOutput<'app.info'>;
const info = (over: Partial<AppInfo> = {}): AppInfo => ({ name: 'Switchboard', version: '0.1.0', host: 'browser', demo: false, welcomed: false, ...over });

function setup(): { app: AppState; fake: ReturnType<typeof fakeBridge> } {
  const fake = fakeBridge();
  fake.answer('app.info', () => ok(info()));
  fake.answer('snapshot.get', () => ok({ accounts: [accountView('lv')], calls: [], agents: [] }));
  fake.answer('settings.get', () => ok(preferences()));
  return { app: new AppState(fake.bridge), fake };
}

async function loaded(): Promise<{ app: AppState; fake: ReturnType<typeof fakeBridge> }> {
  const s = setup();
  await s.app.refresh();
  return s;
}

afterEach(() => void vi.useRealTimers());

describe('the store is written only by events and its own methods', () => {
  it('refuses a view assigning what main said or where the supervisor is', () => {
    const { app } = setup();
    // @ts-expect-error read-only: a view saves preferences through updatePrefs
    expect(() => (app.prefs = preferences())).toThrow(TypeError);
    // @ts-expect-error read-only: accounts change through saveAccount / removeAccount / events
    expect(() => (app.accounts = [])).toThrow(TypeError);
    // @ts-expect-error read-only: info changes through setDemo / finishWelcome / events
    expect(() => (app.info = info())).toThrow(TypeError);
    // @ts-expect-error read-only: navigation goes through show / openCall
    expect(() => (app.view = 'agents')).toThrow(TypeError);
    // @ts-expect-error read-only: selectCall
    expect(() => (app.selectedCall = 'x')).toThrow(TypeError);
    expect(app.prefs).toBeNull();
    expect(app.view).toBe('calls');
  });

  it('keeps the preferences main saved, and nothing when saving fails', async () => {
    const { app, fake } = await loaded();
    const saved = { ...preferences(), ui: { ...preferences().ui, theme: 'dark' as const } };
    fake.answer('settings.update', () => ok(saved));
    expect(await app.updatePrefs({ ui: { ...preferences().ui, theme: 'light' } }, { success: 'Saved' })).toBe(true);
    // What main answered, not what was asked for.
    expect(app.prefs?.ui.theme).toBe('dark');
    expect(app.toasts.map((t) => t.text)).toEqual(['Saved']);

    fake.answer('settings.update', () => failed('Settings could not be saved', 'disk full'));
    expect(await app.updatePrefs({ ui: { ...preferences().ui, theme: 'light' } })).toBe(false);
    expect(app.prefs?.ui.theme).toBe('dark');
    expect(app.toasts.at(-1)).toMatchObject({ kind: 'error', text: 'Settings could not be saved', detail: 'Vendor said: disk full' });
  });

  it('do not disturb changes only the notification preferences', async () => {
    const { app, fake } = await loaded();
    fake.answer('notifications.setDoNotDisturb', ({ on }) => ok({ ...preferences().notifications, doNotDisturb: on }));
    expect(await app.setDoNotDisturb(true)).toBe(true);
    expect(app.prefs).toEqual({ ...preferences(), notifications: { ...preferences().notifications, doNotDisturb: true } });
    expect(fake.sent.at(-1)).toEqual({ name: 'notifications.setDoNotDisturb', input: { on: true } });
  });

  it('starting or leaving the demo keeps its info and lists the accounts again; a refusal changes nothing', async () => {
    const { app, fake } = await loaded();
    fake.answer('demo.set', ({ on }) => ok(info({ demo: on })));
    fake.answer('accounts.list', () => ok([accountView('lv'), accountView('demo-exotel')]));
    expect(await app.setDemo(true, { success: 'Demo contact centre started' })).toBe(true);
    expect(app.info?.demo).toBe(true);
    expect(app.accounts.map((a) => a.config.id)).toEqual(['lv', 'demo-exotel']);

    fake.answer('demo.set', () => failed('The demo could not stop'));
    const before = fake.sent.length;
    expect(await app.setDemo(false)).toBe(false);
    expect(app.info?.demo).toBe(true);
    expect(fake.sent.slice(before).map((r) => r.name)).toEqual(['demo.set']);
  });

  it('finishing the welcome on the way to an account opens the add form once', async () => {
    const { app, fake } = await loaded();
    fake.answer('onboarding.welcomed', () => ok(info({ welcomed: true })));
    expect(await app.finishWelcome('account')).toBe(true);
    expect(app.info?.welcomed).toBe(true);
    expect(app.view).toBe('accounts');
    expect(fake.sent.some((r) => r.name === 'demo.set')).toBe(false);
    expect(app.takeAddAccount()).toBe(true);
    expect(app.takeAddAccount()).toBe(false);
  });

  it('finishing the welcome with the demo starts it first unless it runs; a failure keeps the welcome', async () => {
    const { app, fake } = await loaded();
    fake.answer('demo.set', ({ on }) => ok(info({ demo: on })));
    fake.answer('accounts.list', () => ok([]));
    fake.answer('onboarding.welcomed', () => failed('Could not save'));
    expect(await app.finishWelcome('demo')).toBe(false);
    expect(app.info).toMatchObject({ demo: true, welcomed: false });
    expect(app.view).toBe('calls');

    fake.answer('onboarding.welcomed', () => ok(info({ demo: true, welcomed: true })));
    const before = fake.sent.length;
    expect(await app.finishWelcome('demo')).toBe(true);
    expect(fake.sent.slice(before).map((r) => r.name)).toEqual(['onboarding.welcomed']);
    expect(app.info?.welcomed).toBe(true);
    expect(app.takeAddAccount()).toBe(false);
  });

  it('a saved account is added or replaced by id; a refused save changes nothing and leaves the message to the form', async () => {
    const { app, fake } = await loaded();
    fake.answer('accounts.save', ({ account }) => ok(accountView(account.id, { label: account.label })));
    const config = { ...accountView('lv').config };
    expect((await app.saveAccount({ account: { ...config, id: 'lv2', label: 'Second' } })).ok).toBe(true);
    expect((await app.saveAccount({ account: { ...config, label: 'Renamed' } })).ok).toBe(true);
    expect(app.accounts.map((a) => [a.config.id, a.config.label])).toEqual([
      ['lv', 'Renamed'],
      ['lv2', 'Second'],
    ]);

    fake.answer('accounts.save', () => failed('Bad credentials'));
    const r = await app.saveAccount({ account: { ...config, id: 'lv3' } });
    expect(r.ok ? null : r.error.message).toBe('Bad credentials');
    expect(app.accounts).toHaveLength(2);
    expect(app.toasts).toEqual([]);
  });

  it('a removed account leaves the list only when main removed it', async () => {
    const { app, fake } = await loaded();
    fake.answer('accounts.remove', () => failed('Could not delete the secrets'));
    expect(await app.removeAccount(app.accounts[0]!)).toBe(false);
    expect(app.accounts).toHaveLength(1);
    expect(app.toasts.at(-1)).toMatchObject({ kind: 'error', text: 'Could not delete the secrets' });

    fake.answer('accounts.remove', () => ok(null));
    expect(await app.removeAccount(app.accounts[0]!)).toBe(true);
    expect(app.accounts).toEqual([]);
    expect(app.toasts.at(-1)).toMatchObject({ kind: 'success', text: 'Removed lv' });
  });

  it('the weak store choice keeps the vault status main answers', async () => {
    const { app, fake } = await loaded();
    fake.answer('vault.allowPlaintext', ({ allow }) => ok({ store: allow ? 'encrypted-file' : 'memory', detail: 'x', plaintextOffered: true }));
    expect(await app.allowPlaintext(true)).toBe(true);
    expect(app.vault?.store).toBe('encrypted-file');
    expect(app.toasts.at(-1)?.text).toBe('Weak store allowed');
  });

  it('navigates by method, and a notification click asks the board for an agent until it is shown', () => {
    const { app, fake } = setup();
    app.openCall('lv:c1');
    expect([app.view, app.selectedCall]).toEqual(['calls', 'lv:c1']);
    app.selectCall(null);
    expect(app.selectedCall).toBeNull();
    app.show('settings');
    expect(app.view).toBe('settings');
    fake.emit('focus', { callKey: null, agentKey: 'lv:A1' });
    expect([app.view, app.focusAgent]).toEqual(['agents', 'lv:A1']);
    app.agentFocused();
    expect(app.focusAgent).toBeNull();
  });

  it('a (re)connection loads the whole picture; the clock ticks until stopped', async () => {
    vi.useFakeTimers({ now: 5_000 });
    const { app, fake } = setup();
    app.setConnected(true);
    expect(app.connected).toBe(true);
    await vi.waitFor(() => expect(app.accounts).toHaveLength(1));
    expect(fake.sent.map((r) => r.name)).toContain('snapshot.get');
    app.setConnected(false);
    expect(app.connected).toBe(false);

    const start = Date.now();
    const stop = app.startClock();
    vi.advanceTimersByTime(2_000);
    expect(app.now).toBe(start + 2_000);
    stop();
    vi.advanceTimersByTime(2_000);
    expect(app.now).toBe(start + 2_000);
  });
});
