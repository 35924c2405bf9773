// Where secrets go when no keychain answers: an OS-encrypted file, Linux's basic_text only with the
// supervisor's consent, else memory for this run — and the app starts (with its demo) in every case.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountConfig } from '../../main/domain/account.js';
import { openVault, type VaultOptions } from '../../main/vault/vault.js';
import type { Encryptor } from '../../main/vault/encrypted-file-store.js';
import { MemorySecretStore } from '../../main/vault/secret-store.js';
import type { KeytarStore } from '../../main/vault/keytar-store.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { filesUnder } from '../helpers/files.js';
import type { AccountView } from '../../preload/contract.js';

const audianAccount = AccountConfig.parse({ vendor: 'audian', id: 'a1', label: 'Audian', baseUrl: 'https://api.audian.com:8443' });

const noKeychain: VaultOptions['probe'] = async () => ({ error: 'no keychain service answered (test)' });

/** Stands in for safeStorage: reversible, and never leaves the plain value in its output. */
function fakeEncryptor(backend: string, available = true): Encryptor {
  return {
    isEncryptionAvailable: () => available,
    backend: () => backend,
    encryptString: (s) => Buffer.from(`enc:${Buffer.from(s).toString('hex')}`),
    decryptString: (b) => Buffer.from(b.toString().replace(/^enc:/, ''), 'hex').toString(),
  };
}

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'sb-vault-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('openVault fallback chain', () => {
  it('uses the keychain when it answers', async () => {
    const store = Object.assign(new MemorySecretStore(), { kind: 'keychain' as const }) as unknown as KeytarStore;
    const vault = await openVault({ probe: async () => ({ store }), encryptor: fakeEncryptor('gnome_libsecret'), encryptedFile: path.join(tempDir(), 's.json') });
    expect(vault.getStatus()).toMatchObject({ store: 'keychain', plaintextOffered: false });
  });

  it('falls back to an OS-encrypted file, which never holds the plain secret', async () => {
    const file = path.join(tempDir(), 'secrets.enc.json');
    const vault = await openVault({ probe: noKeychain, encryptor: fakeEncryptor('kwallet5'), encryptedFile: file });
    expect(vault.getStatus()).toMatchObject({ store: 'encrypted-file', plaintextOffered: false });
    expect(vault.getStatus().detail).toContain('no keychain service answered');
    await vault.set(audianAccount, 'apiKey', 'plain-secret-value');
    expect(readFileSync(file, 'utf8')).not.toContain('plain-secret-value');
    expect(await vault.secretsFor(audianAccount)).toEqual({ apiKey: 'plain-secret-value' });
  });

  it("refuses Linux's basic_text without consent: memory for this run, with the weak store offered", async () => {
    const file = path.join(tempDir(), 'secrets.enc.json');
    const vault = await openVault({ probe: noKeychain, encryptor: fakeEncryptor('basic_text'), encryptedFile: file });
    expect(vault.getStatus()).toMatchObject({ store: 'memory', plaintextOffered: true });
    expect(vault.getStatus().detail).toMatch(/this run only.*basic_text/);
    await vault.set(audianAccount, 'apiKey', 'kept-in-memory');
    expect(await vault.has('a1', 'apiKey')).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  it('uses basic_text once the supervisor allows it, and says it is only obfuscated', async () => {
    const file = path.join(tempDir(), 'secrets.enc.json');
    const vault = await openVault({ probe: noKeychain, encryptor: fakeEncryptor('basic_text'), encryptedFile: file, allowPlaintext: true });
    expect(vault.getStatus()).toMatchObject({ store: 'encrypted-file', plaintextOffered: true });
    expect(vault.getStatus().detail).toMatch(/not truly encrypted/);
  });

  it('keeps secrets in memory when there is no OS encryption either (the browser console)', async () => {
    for (const encryptor of [undefined, fakeEncryptor('gnome_libsecret', false)]) {
      const vault = await openVault({ probe: noKeychain, ...(encryptor ? { encryptor } : {}), encryptedFile: path.join(tempDir(), 's.json') });
      expect(vault.getStatus()).toMatchObject({ store: 'memory', plaintextOffered: false });
    }
  });
});

describe('an app on a machine without a keychain', () => {
  let app: TestApp | null = null;
  afterEach(async () => {
    await app?.core.stop();
    app?.cleanup();
    app = null;
  });

  it('starts its demo with secrets in memory instead of failing', async () => {
    app = await createTestApp({ keychainProbe: noKeychain, encryptor: fakeEncryptor('basic_text'), demo: true });
    await app.core.start();
    const accounts = (await app.core.dispatcher.dispatch('accounts.list', {})) as { ok: boolean; value: AccountView[] };
    expect(accounts.ok).toBe(true);
    expect(accounts.value.map((a) => [a.config.vendor, a.secretsSet.length > 0])).toEqual([
      ['engage-voice', true],
      ['exotel', true],
      ['audian', true],
      ['livevox', true],
    ]);
    expect(await app.core.dispatcher.dispatch('vault.status', {})).toMatchObject({ ok: true, value: { store: 'memory', plaintextOffered: true } });
  });

  it('moves saved secrets into the weak store when allowed, and back out when refused', async () => {
    app = await createTestApp({ keychainProbe: noKeychain, encryptor: fakeEncryptor('basic_text') });
    const d = app.core.dispatcher;
    const account = { id: 'au-1', label: 'Audian', vendor: 'audian', baseUrl: 'https://api.audian.com:8443/v2' };
    expect((await d.dispatch('accounts.save', { account, secrets: { apiKey: 'typed-once' } })).ok).toBe(true);
    const file = path.join(app.dataDir, 'secrets.enc.json');

    expect(await d.dispatch('vault.allowPlaintext', { allow: true })).toMatchObject({ ok: true, value: { store: 'encrypted-file' } });
    expect(existsSync(file)).toBe(true);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object)).toEqual(['au-1/apiKey']);
    expect(await d.dispatch('accounts.list', {})).toMatchObject({ ok: true, value: [{ secretsSet: ['apiKey'] }] });

    expect(await d.dispatch('vault.allowPlaintext', { allow: false })).toMatchObject({ ok: true, value: { store: 'memory' } });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});
    expect(await d.dispatch('accounts.list', {})).toMatchObject({ ok: true, value: [{ secretsSet: ['apiKey'] }] });
    for (const f of filesUnder(app.dataDir)) expect(readFileSync(f, 'utf8')).not.toContain('typed-once');
  });
});
