// The credential vault: set / has / clear per account and field. Only connectors (inside main) read
// values back, through secretsFor(); nothing on the contract ever returns one. Each secret is bound
// to the hosts it was entered for (credential-hosts.ts) and handed out only for those hosts.
import { SECRET_FIELDS, type AccountConfig, type SecretField, type Secrets } from '../domain/account.js';
import { credentialHosts, type BoundElsewhere } from '../domain/credential-hosts.js';
import type { VaultStatus } from '../../preload/contract.js';
import type { SecretStore } from './secret-store.js';
import { EncryptedFileStore, type Encryptor } from './encrypted-file-store.js';
import { MemorySecretStore } from './secret-store.js';
import { probeKeytar } from './keytar-store.js';
import { decodeRecord, encodeRecord, type SecretRecord } from './secret-record.js';

const keyOf = (accountId: string, field: string): string => `${accountId}/${field}`;

export class Vault {
  /** Per account, bumped on every change to its secrets: the engine reconnects when it moves. */
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly store: SecretStore,
    private readonly status: VaultStatus,
  ) {}

  getStatus(): VaultStatus {
    return this.status;
  }

  /** How many times this account's secrets have changed in this run. */
  generation(accountId: string): number {
    return this.generations.get(accountId) ?? 0;
  }

  private bump(accountId: string): void {
    this.generations.set(accountId, this.generation(accountId) + 1);
  }

  /** Stores a secret bound to the hosts this account's config sends it to. */
  async set(config: AccountConfig, field: SecretField, value: string): Promise<void> {
    await this.store.set(keyOf(config.id, field), encodeRecord({ value, boundTo: credentialHosts(config, field) }));
    this.bump(config.id);
  }

  async has(accountId: string, field: SecretField): Promise<boolean> {
    return (await this.store.get(keyOf(accountId, field))) !== null;
  }

  private async record(accountId: string, field: SecretField): Promise<SecretRecord | null> {
    const stored = await this.store.get(keyOf(accountId, field));
    return stored === null ? null : decodeRecord(stored);
  }

  /** Which of the account's secret fields are set for the hosts it connects to now. */
  async fieldsSet(config: AccountConfig): Promise<SecretField[]> {
    return Object.keys(await this.secretsFor(config)) as SecretField[];
  }

  /** Secrets that are stored but were entered for other hosts than this config's (or for none known). */
  async boundElsewhere(config: AccountConfig): Promise<BoundElsewhere[]> {
    const out: BoundElsewhere[] = [];
    for (const field of SECRET_FIELDS[config.vendor]) {
      const r = await this.record(config.id, field);
      if (r && r.boundTo !== credentialHosts(config, field)) out.push({ field, savedFor: r.boundTo });
    }
    return out;
  }

  /**
   * Binds values stored before secrets were bound to hosts to the hosts the account uses now (they
   * were entered for those, as far as anyone can know). Returns the fields it bound.
   */
  async bindUnbound(config: AccountConfig): Promise<SecretField[]> {
    const bound: SecretField[] = [];
    for (const field of SECRET_FIELDS[config.vendor]) {
      const r = await this.record(config.id, field);
      if (r && r.boundTo === null) {
        await this.store.set(keyOf(config.id, field), encodeRecord({ value: r.value, boundTo: credentialHosts(config, field) }));
        bound.push(field);
      }
    }
    return bound;
  }

  /** Clears one field, or every field of the account. */
  async clear(accountId: string, field?: SecretField): Promise<void> {
    this.bump(accountId);
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
    // The same secrets under a new roof are not a change: connected accounts stay connected.
    for (const [id, g] of this.generations) next.generations.set(id, g);
    // A new memory store is a new, empty place; two keychains or files are the same place.
    if (next.store === this.store || (next.store.kind === this.store.kind && this.store.kind !== 'memory')) return;
    for (const k of await this.store.keys()) {
      const v = await this.store.get(k);
      if (v !== null) await next.store.set(k, v);
      await this.store.delete(k);
    }
  }

  /**
   * For connectors only: never reachable from the contract. Only secrets entered for the hosts this
   * config connects to; one saved for another host is withheld (see boundElsewhere).
   */
  async secretsFor(config: AccountConfig): Promise<Secrets> {
    const out: Secrets = {};
    for (const field of SECRET_FIELDS[config.vendor]) {
      const r = await this.record(config.id, field);
      if (r && r.boundTo === credentialHosts(config, field)) out[field] = r.value;
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
