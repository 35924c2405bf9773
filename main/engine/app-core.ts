// The application behind the contract, with no Electron in it: settings, vault, accounts and (from
// the engine) the live picture. The Electron shell and the browser console each build one of
// these with their own adapters and expose it through the same Dispatcher.
import type { AccountConfig } from '../domain/account.js';
import { SECRET_FIELDS, type SecretField } from '../domain/account.js';
import { SwitchboardError, toErrorInfo } from '../domain/errors.js';
import type { AccountHealth } from '../domain/model.js';
import type { AccountView, Preferences } from '../../preload/contract.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { Vault } from '../vault/vault.js';
import type { VendorRegistry } from '../vendors/registry-types.js';
import { Dispatcher, type Handlers } from './dispatcher.js';

export interface AppCoreOptions {
  host: 'electron' | 'browser';
  version: string;
  settings: SettingsStore;
  vault: Vault;
  vendors: VendorRegistry;
  /** Saved when the user allows the weak Linux store; the shell reopens the vault with it. */
  reopenVault?: (allowPlaintext: boolean) => Promise<Vault>;
}

interface AccountStatus {
  health: AccountHealth;
  detail: string | null;
  dataAt: number | null;
}

export class AppCore {
  readonly dispatcher: Dispatcher;
  private vault: Vault;
  private readonly status = new Map<string, AccountStatus>();

  constructor(private readonly opts: AppCoreOptions) {
    this.vault = opts.vault;
    this.dispatcher = new Dispatcher(this.handlers());
  }

  private handlers(): Handlers {
    const { settings } = this.opts;
    return {
      'app.info': () => ({ name: 'Switchboard', version: this.opts.version, host: this.opts.host, demo: settings.get().accounts.some((a) => a.demo) }),
      'snapshot.get': async () => ({ accounts: await this.accountViews(), calls: [], agents: [] }),
      'vault.status': () => this.vault.getStatus(),
      'vault.allowPlaintext': async ({ allow }) => {
        settings.update((s) => void (s.vault.allowPlaintext = allow));
        if (this.opts.reopenVault) this.vault = await this.opts.reopenVault(allow);
        return this.vault.getStatus();
      },
      'settings.get': () => settings.get().preferences,
      'settings.update': (patch) => settings.update((s) => void (s.preferences = { ...s.preferences, ...patch } as Preferences)).preferences,
      'settings.problems': () => settings.problems,
      'accounts.list': () => this.accountViews(),
      'accounts.save': async ({ account, secrets }) => {
        const allowed: readonly string[] = SECRET_FIELDS[account.vendor];
        for (const field of Object.keys(secrets ?? {})) {
          if (!allowed.includes(field)) throw new SwitchboardError('invalid_input', `${field} is not a credential of a ${account.vendor} account`);
        }
        // Secrets first: if the keychain refuses, the account is not saved half-configured.
        for (const [field, value] of Object.entries(secrets ?? {})) {
          if (value !== undefined) await this.vault.set(account.id, field as SecretField, value);
        }
        settings.update((s) => {
          const i = s.accounts.findIndex((a) => a.id === account.id);
          if (i >= 0) {
            if (s.accounts[i]!.vendor !== account.vendor) throw new SwitchboardError('invalid_input', 'An account cannot change vendor; add a new account instead.');
            s.accounts[i] = account;
          } else s.accounts.push(account);
        });
        await this.emitAccounts();
        return this.accountView(account);
      },
      'accounts.remove': async ({ id }) => {
        this.requireAccount(id);
        settings.update((s) => void (s.accounts = s.accounts.filter((a) => a.id !== id)));
        await this.vault.clear(id);
        this.status.delete(id);
        await this.emitAccounts();
        return null;
      },
      'accounts.test': async ({ id }) => {
        const account = this.requireAccount(id);
        try {
          const secrets = await this.vault.secretsFor(id, account.vendor);
          const connector = this.opts.vendors[account.vendor].createConnector(account, secrets, { timeoutMs: 8000 });
          await connector.testConnection();
          return { ok: true, error: null };
        } catch (err) {
          return { ok: false, error: toErrorInfo(err) };
        }
      },
    };
  }

  requireAccount(id: string): AccountConfig {
    const a = this.opts.settings.get().accounts.find((x) => x.id === id);
    if (!a) throw new SwitchboardError('not_found', `No account with id "${id}".`);
    return a;
  }

  private async accountView(config: AccountConfig): Promise<AccountView> {
    const st = this.status.get(config.id) ?? { health: 'degraded' as const, detail: 'Not polled yet', dataAt: null };
    return {
      config,
      secretsSet: await this.vault.fieldsSet(config.id, config.vendor),
      health: st.health,
      healthDetail: st.detail,
      dataAt: st.dataAt,
      stale: st.dataAt === null,
      capabilities: this.opts.vendors[config.vendor].capabilities,
    };
  }

  async accountViews(): Promise<AccountView[]> {
    return Promise.all(this.opts.settings.get().accounts.map((a) => this.accountView(a)));
  }

  private async emitAccounts(): Promise<void> {
    this.dispatcher.emit('accounts.changed', await this.accountViews());
  }
}
