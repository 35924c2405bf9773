// The credential vault: set / has / clear per account and field. Only connectors (inside main) read
// values back, through secretsFor(); nothing on the contract ever returns one.
import { SECRET_FIELDS, type SecretField, type Secrets } from '../domain/account.js';
import type { Vendor } from '../domain/model.js';
import { SwitchboardError } from '../domain/errors.js';
import type { VaultStatus } from '../../preload/contract.js';
import type { SecretStore } from './secret-store.js';
import { EncryptedFileStore, type Encryptor } from './encrypted-file-store.js';
import { MemorySecretStore } from './secret-store.js';
import { probeKeytar } from './keytar-store.js';

const keyOf = (accountId: string, field: string): string => `${accountId}/${field}`;

export class Vault {
  constructor(
    private store: SecretStore | null,
    private status: VaultStatus,
  ) {}

  getStatus(): VaultStatus {
    return this.status;
  }

  /** Swap the backing store (the user allowed Linux's basic_text fallback). */
  replaceStore(store: SecretStore, status: VaultStatus): void {
    this.store = store;
    this.status = status;
  }

  private need(): SecretStore {
    if (!this.store) {
      throw new SwitchboardError('not_configured', `Secrets cannot be saved: ${this.status.detail}`);
    }
    return this.store;
  }

  async set(accountId: string, field: SecretField, value: string): Promise<void> {
    await this.need().set(keyOf(accountId, field), value);
  }

  async has(accountId: string, field: SecretField): Promise<boolean> {
    if (!this.store) return false;
    return (await this.store.get(keyOf(accountId, field))) !== null;
  }

  /** Which of the vendor's secret fields are set for this account. */
  async fieldsSet(accountId: string, vendor: Vendor): Promise<SecretField[]> {
    const out: SecretField[] = [];
    for (const f of SECRET_FIELDS[vendor]) if (await this.has(accountId, f)) out.push(f);
    return out;
  }

  /** Clears one field, or every field of the account. */
  async clear(accountId: string, field?: SecretField): Promise<void> {
    if (!this.store) return;
    if (field) {
      await this.store.delete(keyOf(accountId, field));
      return;
    }
    for (const k of await this.store.keys()) if (k.startsWith(`${accountId}/`)) await this.store.delete(k);
  }

  /** For connectors only: never reachable from the contract. */
  async secretsFor(accountId: string, vendor: Vendor): Promise<Secrets> {
    const out: Secrets = {};
    if (!this.store) return out;
    for (const f of SECRET_FIELDS[vendor]) {
      const v = await this.store.get(keyOf(accountId, f));
      if (v !== null) out[f] = v;
    }
    return out;
  }
}

export interface VaultOptions {
  /** Electron's safeStorage, when running in Electron. */
  encryptor?: Encryptor;
  /** Where the encrypted fallback file goes. */
  encryptedFile?: string;
  /** The user agreed to Linux's basic_text backend. */
  allowPlaintext?: boolean;
  /** Browser console: keep secrets for this run only when no keychain answers. */
  memoryFallback?: boolean;
  keychainService?: string;
}

/** Keychain first; then OS-encrypted file; basic_text only with consent; else memory or nothing. */
export async function openVault(opts: VaultOptions): Promise<Vault> {
  const probe = await probeKeytar(opts.keychainService);
  if ('store' in probe) {
    return new Vault(probe.store, { store: 'keychain', detail: 'OS keychain', plaintextOffered: false });
  }
  const why = probe.error;
  const enc = opts.encryptor;
  if (enc && opts.encryptedFile && enc.isEncryptionAvailable()) {
    const plaintextOnly = enc.backend() === 'basic_text';
    if (!plaintextOnly || opts.allowPlaintext) {
      const detail = plaintextOnly
        ? `Obfuscated file, not truly encrypted (you allowed Linux's basic_text store because ${why})`
        : `Encrypted file via the OS (${enc.backend()}), because ${why}`;
      return new Vault(new EncryptedFileStore(opts.encryptedFile, enc), { store: 'encrypted-file', detail, plaintextOffered: plaintextOnly });
    }
    if (!opts.memoryFallback) {
      return new Vault(null, {
        store: 'unavailable',
        detail: `${why}, and this system can only obfuscate secrets (basic_text). Install a keyring, or allow the weak store in Settings.`,
        plaintextOffered: true,
      });
    }
  }
  if (opts.memoryFallback) {
    return new Vault(new MemorySecretStore(), {
      store: 'memory',
      detail: `Kept in memory for this run only, because ${why}`,
      plaintextOffered: false,
    });
  }
  return new Vault(null, { store: 'unavailable', detail: `${why}; secrets cannot be saved`, plaintextOffered: false });
}
