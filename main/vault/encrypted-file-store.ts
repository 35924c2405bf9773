// Fallback when no keychain answers: values encrypted by the OS (Electron safeStorage: DPAPI,
// Keychain-derived key, or kwallet/libsecret key on Linux) in a file of their own, never in the
// settings file. The Encryptor is Electron's safeStorage in the app; tests hand in their own.
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { SecretStore } from './secret-store.js';

export interface Encryptor {
  isEncryptionAvailable(): boolean;
  /** Electron's getSelectedStorageBackend() on Linux ('basic_text' = obfuscation only); 'os' elsewhere. */
  backend(): string;
  encryptString(plain: string): Buffer;
  decryptString(data: Buffer): string;
}

export class EncryptedFileStore implements SecretStore {
  readonly kind = 'encrypted-file' as const;
  constructor(
    private readonly file: string,
    private readonly enc: Encryptor,
  ) {}

  private read(): Record<string, string> {
    if (!existsSync(this.file)) return {};
    try {
      const v = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
      }
    } catch {
      // An unreadable vault file is kept aside rather than overwritten, so a repair stays possible.
      renameSync(this.file, `${this.file}.unreadable-${Date.now()}`);
    }
    return {};
  }

  private write(data: Record<string, string>): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  async get(key: string): Promise<string | null> {
    const b64 = this.read()[key];
    return b64 === undefined ? null : this.enc.decryptString(Buffer.from(b64, 'base64'));
  }
  async set(key: string, value: string): Promise<void> {
    const data = this.read();
    data[key] = this.enc.encryptString(value).toString('base64');
    this.write(data);
  }
  async delete(key: string): Promise<void> {
    const data = this.read();
    delete data[key];
    this.write(data);
  }
  async keys(): Promise<string[]> {
    return Object.keys(this.read());
  }
}
