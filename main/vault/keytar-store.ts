// The OS keychain through keytar (libsecret / Keychain / Credential Manager). keytar is a native
// module; loading it or reaching the keychain can fail on a machine without a Secret Service, so
// probe() proves a full write / read / delete round trip before the vault trusts it.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import type { SecretStore } from './secret-store.js';

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

export const KEYCHAIN_SERVICE = 'Switchboard';

export class KeytarStore implements SecretStore {
  readonly kind = 'keychain' as const;
  constructor(
    private readonly keytar: Keytar,
    private readonly service = KEYCHAIN_SERVICE,
  ) {}
  get(key: string): Promise<string | null> {
    return this.keytar.getPassword(this.service, key);
  }
  set(key: string, value: string): Promise<void> {
    return this.keytar.setPassword(this.service, key, value);
  }
  async delete(key: string): Promise<void> {
    await this.keytar.deletePassword(this.service, key);
  }
  async keys(): Promise<string[]> {
    return (await this.keytar.findCredentials(this.service)).map((c) => c.account);
  }
}

/** Loads keytar and proves the keychain answers; returns why not otherwise (never throws). */
export async function probeKeytar(service = KEYCHAIN_SERVICE, timeoutMs = 5000): Promise<{ store: KeytarStore } | { error: string }> {
  let keytar: Keytar;
  try {
    const require = createRequire(import.meta.url);
    keytar = require('keytar') as Keytar;
  } catch {
    return { error: 'the keychain module (keytar) could not be loaded' };
  }
  const probeKey = `probe-${randomBytes(6).toString('hex')}`;
  const probeValue = randomBytes(12).toString('hex');
  const attempt = (async () => {
    await keytar.setPassword(service, probeKey, probeValue);
    const back = await keytar.getPassword(service, probeKey);
    await keytar.deletePassword(service, probeKey);
    return back === probeValue;
  })();
  try {
    const ok = await Promise.race([
      attempt,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref()),
    ]);
    return ok ? { store: new KeytarStore(keytar, service) } : { error: 'the keychain did not return what was written' };
  } catch (err) {
    const why = err instanceof Error && err.message === 'timeout' ? 'the keychain did not answer' : 'no keychain service answered (on Linux: no Secret Service such as gnome-keyring)';
    return { error: why };
  }
}
