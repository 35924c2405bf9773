// The OS keychain through keytar (libsecret / Keychain / Credential Manager). keytar is a native
// module; loading it or reaching the keychain can fail on a machine without a Secret Service, so
// probe() proves a full write / read / delete round trip before the vault trusts it.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { SwitchboardError } from '../domain/errors.js';
import type { SecretStore } from './secret-store.js';

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

export const KEYCHAIN_SERVICE = 'Switchboard';

/** A keychain that stops answering (a locked keyring waiting on a prompt) must not hang the app. */
const CALL_TIMEOUT_MS = 10_000;

function bounded<T>(work: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new SwitchboardError('timeout', `The OS keychain did not answer while ${what}; is it locked?`)), CALL_TIMEOUT_MS).unref(),
    ),
  ]);
}

export class KeytarStore implements SecretStore {
  readonly kind = 'keychain' as const;
  constructor(
    private readonly keytar: Keytar,
    private readonly service = KEYCHAIN_SERVICE,
  ) {}
  get(key: string): Promise<string | null> {
    return bounded(this.keytar.getPassword(this.service, key), 'reading a secret');
  }
  set(key: string, value: string): Promise<void> {
    return bounded(this.keytar.setPassword(this.service, key, value), 'saving a secret');
  }
  async delete(key: string): Promise<void> {
    await bounded(this.keytar.deletePassword(this.service, key), 'removing a secret');
  }
  async keys(): Promise<string[]> {
    return (await bounded(this.keytar.findCredentials(this.service), 'listing secrets')).map((c) => c.account);
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
