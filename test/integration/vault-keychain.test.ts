// Against a real Secret Service (gnome-keyring under dbus-run-session: scripts/with-keyring.sh).
// Outside such a session the suite skips, unless SB_REQUIRE_KEYCHAIN=1 (CI) makes that a failure.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeKeytar } from '../../main/vault/keytar-store.js';
import { decodeRecord } from '../../main/vault/secret-record.js';
import { startBrowserConsole, type BrowserConsole } from '../../main/browser/server.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { connectBridgeClient } from '../helpers/ws-client.js';
import { filesUnder } from '../helpers/files.js';

const service = `Switchboard-test-${process.pid}`;
const probe = await probeKeytar(service);
const available = 'store' in probe;
if (!available && process.env.SB_REQUIRE_KEYCHAIN === '1') {
  throw new Error(`SB_REQUIRE_KEYCHAIN=1 but no keychain answered: ${'error' in probe ? probe.error : ''}`);
}
if (!available) console.log(`SKIP keychain tests: ${'error' in probe ? probe.error : ''} (run under scripts/with-keyring.sh)`);

const keytar = createRequire(import.meta.url)('keytar') as { getPassword(s: string, a: string): Promise<string | null> };

describe.skipIf(!available)('vault on the OS keychain', () => {
  let app: TestApp;
  let server: BrowserConsole;
  const secret = `sb-secret-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  const password = `sb-password-${Math.random().toString(36).slice(2)}`;

  beforeAll(async () => {
    app = await createTestApp({ keychainService: service });
    server = await startBrowserConsole({ dispatcher: app.core.dispatcher, rendererDir: app.dataDir });
  });
  afterAll(async () => {
    await app.core.dispatcher.dispatch('accounts.remove', { id: 'lv-main' });
    await server.close();
    app.cleanup();
  });

  it('uses the keychain and says so', async () => {
    expect(await app.core.dispatcher.dispatch('vault.status', {})).toMatchObject({ ok: true, value: { store: 'keychain' } });
  });

  it('keeps a saved secret in the keychain only, never in settings or anything the renderer receives', async () => {
    const client = await connectBridgeClient(server.port, server.token);
    const account = { id: 'lv-main', label: 'LiveVox', vendor: 'livevox', clientName: 'acme', userName: 'sup', baseUrl: 'https://api.livevox.com' };
    const saved = await client.request('accounts.save', { account, secrets: { accessToken: secret, password } });
    expect(saved).toMatchObject({ ok: true, value: { secretsSet: ['accessToken', 'password'] } });
    for (const name of ['accounts.list', 'snapshot.get', 'vault.status', 'settings.get', 'app.info']) {
      expect((await client.request(name, {})).ok).toBe(true);
    }
    // A failing connection test must not echo the credential either.
    await client.request('accounts.test', { id: 'lv-main' });
    client.close();

    // Each entry holds the secret with the host it was entered for (see secret-record.ts).
    const entry = async (field: string) => decodeRecord((await keytar.getPassword(service, `lv-main/${field}`)) ?? '');
    expect(await entry('accessToken')).toEqual({ value: secret, boundTo: 'https://api.livevox.com' });
    expect(await entry('password')).toEqual({ value: password, boundTo: 'https://api.livevox.com' });
    for (const f of filesUnder(app.dataDir)) {
      const text = readFileSync(f, 'utf8');
      expect(text).not.toContain(secret);
      expect(text).not.toContain(password);
    }
    expect(client.received.length).toBeGreaterThan(5);
    for (const frame of client.received) {
      expect(frame).not.toContain(secret);
      expect(frame).not.toContain(password);
    }
  });

  it('clears every secret of a removed account from the keychain', async () => {
    await app.core.dispatcher.dispatch('accounts.remove', { id: 'lv-main' });
    expect(await keytar.getPassword(service, 'lv-main/accessToken')).toBeNull();
    expect(await keytar.getPassword(service, 'lv-main/password')).toBeNull();
  });
});
