// The application behind the contract, with no Electron in it: settings, vault, accounts and (from
// the engine) the live picture. The Electron shell and the browser console each build one of
// these with their own adapters and expose it through the same Dispatcher.
import type { AccountConfig } from '../domain/account.js';
import { SECRET_FIELDS, type SecretField } from '../domain/account.js';
import { reenterMessage, secretsUsed, type BoundElsewhere } from '../domain/credential-hosts.js';
import { SwitchboardError, toErrorInfo } from '../domain/errors.js';
import type { AccountView, Preferences } from '../../preload/contract.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { Vault } from '../vault/vault.js';
import type { VendorRegistry } from '../vendors/registry-types.js';
import type { Alert } from './alerts.js';
import { runAudited, type AuditLog } from './audit-log.js';
import type { AppLog } from './app-log.js';
import type { Clock } from './clock.js';
import { Dispatcher, type Handlers } from './dispatcher.js';
import { NetworkSettings } from './network-settings.js';
import { SupervisorEngine, type EngineOptions } from './engine.js';
import type { TrayModel } from './tray-model.js';
import { DemoMode, type DemoDeps } from '../demo/demo-mode.js';

export interface AppCoreOptions {
  host: 'electron' | 'browser';
  version: string;
  settings: SettingsStore;
  vault: Vault;
  vendors: VendorRegistry;
  audit: AuditLog;
  log: AppLog;
  clock: Clock;
  /** Saved when the user allows the weak Linux store; the shell reopens the vault with it. */
  reopenVault?: (allowPlaintext: boolean) => Promise<Vault>;
  /** The shell's own listeners: notifications and the tray. */
  onAlerts?: (alerts: Alert[]) => void;
  onTray?: (model: TrayModel) => void;
  /** false: never start the demo by itself (tests that bring their own accounts). */
  demo?: boolean;
  demoOptions?: Partial<Omit<DemoDeps, 'registry' | 'dispatch' | 'clock'>>;
  engine?: Partial<Pick<EngineOptions, 'timeoutMs' | 'budgetPerMinute' | 'limitWindowMs' | 'visibleIntervals' | 'hiddenIntervals' | 'alertEveryMs'>>;
}

export class AppCore {
  readonly dispatcher: Dispatcher;
  readonly engine: SupervisorEngine;
  readonly demo: DemoMode;
  /** Settings → Network on the host's vendor transport. */
  readonly network = new NetworkSettings();
  private vault: Vault;

  constructor(private readonly opts: AppCoreOptions) {
    this.vault = opts.vault;
    this.dispatcher = new Dispatcher(this.handlers());
    const d = this.dispatcher;
    this.demo = new DemoMode({ registry: opts.vendors, dispatch: (name, input) => d.dispatch(name, input), clock: opts.clock, ...opts.demoOptions });
    this.engine = new SupervisorEngine({
      ...opts.engine,
      vendors: opts.vendors,
      vault: () => this.vault,
      preferences: () => opts.settings.get().preferences,
      audit: opts.audit,
      clock: opts.clock,
      events: {
        calls: (delta) => d.emit('calls.changed', delta),
        agents: (delta) => d.emit('agents.changed', delta),
        accounts: () => {
          this.logHealth();
          void this.emitAccounts();
        },
        freshness: (f) => d.emit('accounts.freshness', [f]),
        notice: (n) => d.emit('notice', n),
        chat: (messages) => d.emit('chat.messages', messages),
        alerts: (alerts) => {
          d.emit('alerts', alerts);
          opts.onAlerts?.(alerts);
        },
        tray: (model) => {
          d.emit('tray.changed', model);
          opts.onTray?.(model);
        },
      },
    });
  }

  preferences(): Preferences {
    return this.opts.settings.get().preferences;
  }

  private readonly lastHealth = new Map<string, string>();
  private readonly secretsSet = new Map<string, SecretField[]>();

  /** Health changes go to the log, once per change. */
  private logHealth(): void {
    for (const a of this.opts.settings.get().accounts) {
      const h = this.engine.runtime(a.id)?.health;
      if (!h) continue;
      const key = `${h.health}|${h.detail ?? ''}`;
      if (this.lastHealth.get(a.id) === key) continue;
      this.lastHealth.set(a.id, key);
      this.opts.log.write({ event: 'account.health', account: a.id, vendor: a.vendor, health: h.health, detail: h.detail });
    }
  }

  private info() {
    const s = this.opts.settings.get();
    return { name: 'Switchboard', version: this.opts.version, host: this.opts.host, demo: this.demo.active, welcomed: s.onboarding.welcomed };
  }

  /**
   * Connects every configured account and starts polling. Demo accounts left by an earlier run
   * point at simulators that are gone, so they are removed; with no real account and the demo not
   * declined, the demo starts.
   */
  async start(): Promise<void> {
    const { settings, log } = this.opts;
    log.write({ event: 'start', host: this.opts.host, version: this.opts.version, secrets: this.vault.getStatus().store });
    for (const p of settings.problems) log.write({ event: 'settings.repaired', backup: p.backupPath, detail: p.message });
    // Only a CA file needs reading; without one nothing here waits.
    const network = settings.get().preferences.network;
    const caProblem = network.extraCaFile === null ? null : await this.network.applySaved(network);
    log.write({ event: 'network', ...this.network.status(), ...(caProblem ? { problem: caProblem } : {}) });
    for (const stale of settings.get().accounts.filter((a) => a.demo)) {
      await this.dispatcher.dispatch('accounts.remove', { id: stale.id });
    }
    for (const a of settings.get().accounts) {
      const bound = await this.vault.bindUnbound(a);
      if (bound.length) log.write({ event: 'secrets.bound', account: a.id, fields: bound.join(', ') });
    }
    // Sessions an earlier run started and never heard back about may be live at the vendor.
    this.engine.adoptInterrupted(this.opts.audit.interrupted());
    await this.engine.syncAccounts(settings.get().accounts);
    this.engine.start();
    if (this.opts.demo !== false && settings.get().accounts.length === 0 && !settings.get().onboarding.demoDeclined) {
      await this.demo.start();
      this.dispatcher.emit('app.changed', this.info());
    }
  }

  async stop(): Promise<void> {
    await this.demo.stop();
    await this.engine.stop();
  }

  private handlers(): Handlers {
    const { settings } = this.opts;
    return {
      'app.info': () => this.info(),
      'demo.set': ({ on }) =>
        this.audited('demo', on ? 'demo.start' : 'demo.leave', undefined, async () => {
          settings.update((s) => void (s.onboarding.demoDeclined = !on));
          await (on ? this.demo.start() : this.demo.stop());
          this.dispatcher.emit('app.changed', this.info());
          return this.info();
        }),
      'onboarding.welcomed': () => {
        settings.update((s) => void (s.onboarding.welcomed = true));
        return this.info();
      },
      'snapshot.get': async () => ({ accounts: await this.accountViews(), calls: this.engine.calls(), agents: this.engine.agents() }),
      'vault.status': () => this.vault.getStatus(),
      'vault.allowPlaintext': async ({ allow }) => {
        settings.update((s) => void (s.vault.allowPlaintext = allow));
        if (this.opts.reopenVault) {
          const next = await this.opts.reopenVault(allow);
          await this.vault.moveSecretsTo(next);
          this.vault = next;
        }
        this.secretsSet.clear();
        return this.vault.getStatus();
      },
      'settings.get': () => settings.get().preferences,
      'settings.update': async (patch) => {
        // A CA file that cannot be used is refused before anything is saved.
        if (patch.network) await this.network.apply(patch.network);
        return settings.update((s) => void (s.preferences = { ...s.preferences, ...patch } as Preferences)).preferences;
      },
      'network.status': () => this.network.status(),
      'settings.problems': () => settings.problems,
      'accounts.list': () => this.accountViews(),
      'accounts.save': ({ account, secrets }) =>
        this.audited(account.id, 'account.save', `${account.vendor}; secrets set: ${Object.keys(secrets ?? {}).join(', ') || 'none'}`, async () => {
        const allowed: readonly string[] = SECRET_FIELDS[account.vendor];
        for (const field of Object.keys(secrets ?? {})) {
          if (!allowed.includes(field)) throw new SwitchboardError('invalid_input', `${field} is not a credential of a ${account.vendor} account`);
        }
        const before = settings.get().accounts.find((a) => a.id === account.id);
        if (before && before.vendor !== account.vendor) throw new SwitchboardError('invalid_input', 'An account cannot change vendor; add a new account instead.');
        settings.assertCanSave(account);
        await this.requireSecretsForHosts(account, before, secrets ?? {});
        // Secrets first: if the keychain refuses, the account is not saved half-configured.
        for (const [field, value] of Object.entries(secrets ?? {})) {
          if (value !== undefined) await this.vault.set(account, field as SecretField, value);
        }
        settings.update((s) => {
          const i = s.accounts.findIndex((a) => a.id === account.id);
          if (i >= 0) s.accounts[i] = account;
          else s.accounts.push(account);
        });
        this.secretsSet.set(account.id, await this.vault.fieldsSet(account));
        await this.engine.syncAccounts(settings.get().accounts);
        return this.accountView(account);
      }),
      'accounts.remove': ({ id }) =>
        this.audited(id, 'account.remove', undefined, async () => {
          this.requireAccount(id);
          settings.update((s) => void (s.accounts = s.accounts.filter((a) => a.id !== id)));
          await this.vault.clear(id);
          this.secretsSet.delete(id);
          await this.engine.syncAccounts(settings.get().accounts);
          return null;
        }),
      'accounts.test': async ({ id }) => {
        const account = this.requireAccount(id);
        try {
          await this.audited(id, 'account.test', undefined, async () => {
            const withheld = await this.secretsForOtherHosts(account);
            if (withheld.length) throw new SwitchboardError('not_configured', reenterMessage(account, withheld));
            // Through the account's scheduler and login guard; a running account reuses its session.
            await this.engine.testConnection(account);
          });
          // The supervisor has just shown the vendor takes these credentials: no need to sit out a login backoff.
          this.engine.retryNow(id);
          return { ok: true, error: null };
        } catch (err) {
          return { ok: false, error: toErrorInfo(err) };
        }
      },
      'accounts.manualCall': ({ accountId, call }) => this.engine.manualCall(accountId, call),
      'services.list': ({ accountId }) => this.engine.services(accountId),
      'app.visibility': ({ visible }) => {
        this.engine.setVisible(visible);
        return null;
      },
      'calls.view': ({ callKey }) => this.engine.view(callKey),
      'calls.monitor': ({ callKey, mode }) => this.engine.monitor(callKey, mode),
      'calls.stopMonitor': ({ callKey }) => this.engine.stopMonitor(callKey),
      'calls.action': ({ callKey, action }) => this.engine.callAction(callKey, action),
      'agents.action': ({ agentKeys, action }) => this.engine.agentAction(agentKeys, action),
      'chat.broadcast': ({ agentKeys, message, canReply }) => this.engine.chatBroadcast(agentKeys, message, canReply),
      'chat.send': async ({ agentKey, message }) => {
        await this.engine.chatSend(agentKey, message);
        return null;
      },
      'chat.end': async ({ agentKey }) => {
        await this.engine.chatEnd(agentKey);
        return null;
      },
      'chat.history': () => this.engine.chatHistory(),
      'audit.list': ({ limit }) => this.opts.audit.read(limit),
      'audit.exportCsv': () => this.opts.audit.exportCsv(),
      'tray.get': () => this.engine.tray(),
      'notifications.setDoNotDisturb': ({ on }) => {
        const prefs = settings.update((s) => void (s.preferences.notifications.doNotDisturb = on)).preferences.notifications;
        this.opts.onTray?.(this.engine.tray());
        this.dispatcher.emit('tray.changed', this.engine.tray());
        return prefs;
      },
    };
  }

  requireAccount(id: string): AccountConfig {
    const a = this.opts.settings.get().accounts.find((x) => x.id === id);
    if (!a) throw new SwitchboardError('not_found', `No account with id "${id}".`);
    return a;
  }

  /** Saved secrets this account uses that were entered for other hosts than the ones it connects to. */
  private async secretsForOtherHosts(config: AccountConfig): Promise<BoundElsewhere[]> {
    const used = secretsUsed(config);
    return (await this.vault.boundElsewhere(config)).filter((b) => used.includes(b.field));
  }

  /**
   * A save that moves an account to another host (base URL, region, environment) must bring the
   * secrets it uses with it, typed in again: the ones saved were entered for the old host, and are
   * never sent anywhere else. Values saved before secrets were bound to hosts are bound to the hosts
   * the account used until now first, so this holds for them too.
   */
  private async requireSecretsForHosts(account: AccountConfig, before: AccountConfig | undefined, secrets: Partial<Record<SecretField, string>>): Promise<void> {
    if (before) await this.vault.bindUnbound(before);
    const missing = (await this.secretsForOtherHosts(account)).filter((b) => secrets[b.field] === undefined);
    if (missing.length) throw new SwitchboardError('invalid_input', reenterMessage(account, missing));
  }

  private async accountView(config: AccountConfig): Promise<AccountView> {
    const rt = this.engine.runtime(config.id);
    const h = rt?.health;
    return {
      config,
      secretsSet: this.secretsSet.get(config.id) ?? (await this.loadSecretsSet(config)),
      health: h?.health ?? 'degraded',
      healthDetail: rt ? (h?.detail ?? null) : config.enabled ? 'Not connected yet' : 'Disabled',
      dataAt: h?.dataAt ?? null,
      stale: rt ? rt.stale() : true,
      capabilities: this.opts.vendors[config.vendor].capabilities,
      limits: this.engine.limits(config),
      pace: rt?.pace() ?? null,
    };
  }

  async accountViews(): Promise<AccountView[]> {
    return Promise.all(this.opts.settings.get().accounts.map((a) => this.accountView(a)));
  }

  private async emitAccounts(): Promise<void> {
    this.dispatcher.emit('accounts.changed', await this.accountViews());
  }

  /** Which secrets are set, read from the vault once per account (not on every poll). */
  private async loadSecretsSet(config: AccountConfig): Promise<SecretField[]> {
    const fields = await this.vault.fieldsSet(config);
    this.secretsSet.set(config.id, fields);
    return fields;
  }

  private audited<T>(target: string, action: string, detail: string | undefined, run: () => Promise<T>): Promise<T> {
    return runAudited(this.opts.audit, this.opts.clock, { accountId: target, target, action, ...(detail ? { detail } : {}) }, run);
  }
}
