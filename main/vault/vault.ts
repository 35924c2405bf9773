// The credential vault: set / has / clear per account and field. Only connectors (inside main) read
// values back, through secretsFor(); nothing on the contract ever returns one.
import { SECRET_FIELDS, type SecretField, type Secrets } from '../domain/account.js';
import type { Vendor } from '../domain/model.js';
import type { VaultStatus } from '../../preload/contract.js';
import type { SecretStore } from './secret-store.js';
import { EncryptedFileStore, type Encryptor } from './encrypted-file-store.js';
import { MemorySecretStore } from './secret-store.js';
import { probeKeytar } from './keytar-store.js';

const keyOf = (accountId: string, field: string): string => `${accountId}/${field}`;

export class Vault {
  constructor(
    private readonly store: SecretStore,
    private readonly status: VaultStatus,
  ) {}

  getStatus(): VaultStatus {
    return this.status;
  }

  async set(accountId: string, field: SecretField, value: string): Promise<void> {
    await this.store.set(keyOf(accountId, field), value);
  }

  async has(accountId: string, field: SecretField): Promise<boolean> {
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
    if (field) {
      await this.store.delete(keyOf(accountId, field));
      return;
    }
    for (const k of await this.store.keys()) if (k.startsWith(`${accountId}/`)) await this.store.delete(k);
  }

  /**
   * When the supervisor changes where secrets may live (allowing or refusing the weak store), the
   * secrets already saved follow: nothing typed in is lost, and nothing stays behind in the store
   * they turned down.
   */
  async moveSecretsTo(next: Vault): Promise<void> {
    // A new memory store is a new, empty place; two keychains or files are the same place.
    if (next.store === this.store || (next.store.kind === this.store.kind && this.store.kind !== 'memory')) return;
    for (const k of await this.store.keys()) {
      const v = await this.store.get(k);
      if (v !== null) await next.store.set(k, v);
      await this.store.delete(k);
    }
  }

  /** For connectors only: never reachable from the contract. */
  async secretsFor(accountId: string, vendor: Vendor): Promise<Secrets> {
    const out: Secrets = {};
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
  keychainService?: string;
  /** Tests hand in a keychain that answers or not; the app probes keytar. */
  probe?: (service?: string) => ReturnType<typeof probeKeytar>;
}

/**
 * Keychain first; then an OS-encrypted file; basic_text only with consent; else memory for this run.
 * Memory is the last resort rather than no store at all, so the app (and its demo) still starts on a
 * machine without a keyring, and says plainly that secrets will not outlive the run.
 */
export async function openVault(opts: VaultOptions): Promise<Vault> {
  const probe = await (opts.probe ?? probeKeytar)(opts.keychainService);
  if ('store' in probe) {
    return new Vault(probe.store, { store: 'keychain', detail: 'OS keychain', plaintextOffered: false });
  }
  const why = probe.error;
  const enc = opts.encryptor;
  const encryptionUsable = Boolean(enc && opts.encryptedFile && enc.isEncryptionAvailable());
  const plaintextOnly = encryptionUsable && enc!.backend() === 'basic_text';
  if (enc && opts.encryptedFile && encryptionUsable && (!plaintextOnly || opts.allowPlaintext)) {
    const detail = plaintextOnly
      ? `Obfuscated file, not truly encrypted (you allowed Linux's basic_text store because ${why})`
      : `Encrypted file via the OS (${enc.backend()}), because ${why}`;
    return new Vault(new EncryptedFileStore(opts.encryptedFile, enc), { store: 'encrypted-file', detail, plaintextOffered: plaintextOnly });
  }
  const advice = plaintextOnly
    ? ' and this system can only obfuscate secrets (basic_text). Install a keyring, or allow the weak store, to keep them.'
    : '.';
  return new Vault(new MemorySecretStore(), {
    store: 'memory',
    detail: `Kept in memory for this run only, because ${why}${advice}`,
    plaintextOffered: plaintextOnly,
  });
}
