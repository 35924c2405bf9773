// The rules that keep credentials where they belong: https-only account URLs (loopback http for the
// simulators), secrets bound to the hosts they were entered for, and the login backoff's schedule.
import { describe, expect, it } from 'vitest';
import { AccountConfig, EngageVoiceAccount, ExotelAccount } from '../../main/domain/account.js';
import { credentialHosts, HTTPS_ONLY_MESSAGE, reenterMessage } from '../../main/domain/credential-hosts.js';
import { Dispatcher, type Handlers } from '../../main/engine/dispatcher.js';
import { clockTime, LoginBackoff } from '../../main/engine/login-backoff.js';
import { MemorySecretStore } from '../../main/vault/secret-store.js';
import { Vault } from '../../main/vault/vault.js';
import { secretsToReenter, urlProblem } from '../../renderer/src/views/account-fields.js';

/** Every URL field of every vendor, with the rest of a valid account around it. */
const URL_FIELDS = [
  ['engage-voice', 'baseUrl', { accountId: '1' }],
  ['engage-voice', 'authBaseUrl', { accountId: '1', baseUrl: 'https://engage.ringcentral.com/voice' }],
  ['engage-voice', 'rcPlatformUrl', { accountId: '1', baseUrl: 'https://engage.ringcentral.com/voice' }],
  ['exotel', 'v1BaseUrl', { accountSid: 'sid' }],
  ['exotel', 'v3BaseUrl', { accountSid: 'sid' }],
  ['audian', 'baseUrl', {}],
  ['livevox', 'baseUrl', { clientName: 'c', userName: 'u' }],
] as const;
const accountWith = (vendor: string, field: string, rest: object, url: string) => AccountConfig.safeParse({ vendor, id: 'a', label: 'A', ...rest, [field]: url });

const LOOPBACK = ['http://127.0.0.1:4100', 'http://127.8.9.10/api', 'http://localhost:3000/voice', 'http://[::1]:8443', 'HTTP://LOCALHOST:1'];
const REMOTE_HTTP = ['http://api.audian.com:8443', 'http://10.0.0.5', 'http://192.168.1.20:8080', 'http://127.0.0.1.nip.io', 'http://localhost.example.com', 'http://[::2]/'];

describe('account URLs are https only', () => {
  it('take https anywhere and http to this computer (the simulators)', () => {
    for (const [vendor, field, rest] of URL_FIELDS) {
      for (const url of ['https://api.example.com/v2', ...LOOPBACK]) expect(accountWith(vendor, field, rest, url).success, `${vendor}.${field} ${url}`).toBe(true);
    }
  });

  it('refuse http to any other host, saying why', () => {
    for (const [vendor, field, rest] of URL_FIELDS) {
      for (const url of REMOTE_HTTP) {
        const r = accountWith(vendor, field, rest, url);
        expect(r.success, `${vendor}.${field} ${url}`).toBe(false);
        expect(r.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([[field, HTTPS_ONLY_MESSAGE]]);
      }
    }
  });

  it('accounts.save answers invalid_input naming the field, and nothing is saved', async () => {
    let ran = 0;
    const d = new Dispatcher({ 'accounts.save': () => void ran++ } as unknown as Handlers);
    const r = await d.dispatch('accounts.save', { account: { vendor: 'livevox', id: 'lv', label: 'LV', clientName: 'c', userName: 'u', baseUrl: 'http://api.livevox.com' } });
    expect(r).toEqual({ ok: false, error: { code: 'invalid_input', message: `Invalid accounts.save request: account.baseUrl: ${HTTPS_ONLY_MESSAGE}` } });
    expect(ran).toBe(0);
  });

  it('the account form says the same before sending', () => {
    for (const url of LOOPBACK) expect(urlProblem(url), url).toBeNull();
    for (const url of REMOTE_HTTP) expect(urlProblem(url), url).toBe('Must start with https:// (http:// only for a simulator on this computer).');
    expect(urlProblem('ftp://example.com')).toBe('Must start with https://.');
  });
});

describe('the hosts a secret is bound to', () => {
  const ev = (over: object = {}) =>
    EngageVoiceAccount.parse({ vendor: 'engage-voice', id: 'ev', label: 'EV', accountId: '1', baseUrl: 'https://engage.ringcentral.com/voice', ...over });

  it('are origins: a new path on the same host keeps them, a new host, port or scheme does not', () => {
    const base = credentialHosts(ev(), 'apiToken');
    expect(base).toBe('https://engage.ringcentral.com');
    expect(credentialHosts(ev({ baseUrl: 'https://ENGAGE.ringcentral.com:443/api/' }), 'apiToken')).toBe(base);
    for (const baseUrl of ['https://ringcx.ringcentral.com/voice', 'https://engage.ringcentral.com:8443/voice', 'http://127.0.0.1:9/voice']) {
      expect(credentialHosts(ev({ baseUrl }), 'apiToken'), baseUrl).not.toBe(base);
    }
  });

  it('cover everywhere something derived from the secret goes (the RingCentral JWT reaches three hosts)', () => {
    const rc = ev({ authMode: 'rc', authBaseUrl: 'https://auth.example.com', rcPlatformUrl: 'https://platform.ringcentral.com' });
    expect(credentialHosts(rc, 'rcJwt')).toBe('https://auth.example.com https://engage.ringcentral.com https://platform.ringcentral.com');
    expect(credentialHosts(rc, 'apiToken')).toBe('https://engage.ringcentral.com');
    const exotel = AccountConfig.parse({ vendor: 'exotel', id: 'ex', label: 'Ex', accountSid: 's', v1BaseUrl: 'https://api.in.exotel.com' });
    expect(credentialHosts(exotel, 'apiKey')).toBe('https://api.exotel.com https://api.in.exotel.com');
  });

  it('the form asks for exactly the secrets a move would withhold', () => {
    const saved = ExotelAccount.parse({ vendor: 'exotel', id: 'ex', label: 'Ex', accountSid: 's' });
    expect(secretsToReenter(saved, { ...saved, label: 'Renamed', v3PageSize: 50 })).toEqual([]);
    expect(secretsToReenter(saved, { ...saved, v1BaseUrl: 'https://api.in.exotel.com' })).toEqual(['apiKey', 'apiToken']);
    // Token sign-in: a new RingCentral platform changes nothing for the API token.
    expect(secretsToReenter(ev(), { ...ev(), rcPlatformUrl: 'https://platform.devtest.ringcentral.com' })).toEqual([]);
    expect(secretsToReenter(ev({ authMode: 'rc' }), { ...ev({ authMode: 'rc' }), rcPlatformUrl: 'https://platform.devtest.ringcentral.com' })).toEqual(['rcClientSecret', 'rcJwt']);
  });

  it('names what to enter again, where it was saved for and where the account goes now', () => {
    const a = AccountConfig.parse({ vendor: 'livevox', id: 'lv', label: 'LV', clientName: 'c', userName: 'u', baseUrl: 'https://api.na4.livevox.com' });
    expect(reenterMessage(a, [{ field: 'accessToken', savedFor: 'https://api.livevox.com' }, { field: 'password', savedFor: 'https://api.livevox.com' }])).toBe(
      'Enter the access token and password again: they were saved for https://api.livevox.com, and this account now connects to https://api.na4.livevox.com. Saved credentials are only ever sent to the host they were entered for.',
    );
  });
});

describe('the vault hands a secret out only for its hosts', () => {
  const audian = (baseUrl: string) => AccountConfig.parse({ vendor: 'audian', id: 'au', label: 'Au', baseUrl });
  const status = { store: 'memory' as const, detail: 'test', plaintextOffered: false };

  it('withholds a secret from a config on another host, and says which', async () => {
    const vault = new Vault(new MemorySecretStore(), status);
    await vault.set(audian('https://api.audian.com:8443'), 'apiKey', 'k-1');
    expect(await vault.secretsFor(audian('https://api.audian.com:8443/v2'))).toEqual({ apiKey: 'k-1' });
    expect(await vault.secretsFor(audian('https://evil.example.com'))).toEqual({});
    expect(await vault.fieldsSet(audian('https://evil.example.com'))).toEqual([]);
    expect(await vault.boundElsewhere(audian('https://evil.example.com'))).toEqual([{ field: 'apiKey', savedFor: 'https://api.audian.com:8443' }]);
  });

  it('binds a value saved before binding existed to the hosts its account used, once', async () => {
    const store = new MemorySecretStore();
    await store.set('au/apiKey', 'legacy-key');
    const vault = new Vault(store, status);
    expect(await vault.secretsFor(audian('https://api.audian.com:8443')), 'unbound: withheld').toEqual({});
    expect(await vault.bindUnbound(audian('https://api.audian.com:8443'))).toEqual(['apiKey']);
    expect(await vault.bindUnbound(audian('https://other.example.com'))).toEqual([]);
    expect(await vault.secretsFor(audian('https://api.audian.com:8443'))).toEqual({ apiKey: 'legacy-key' });
    expect(await vault.secretsFor(audian('https://other.example.com'))).toEqual({});
  });

  it('counts changes per account, so the engine knows when to reconnect', async () => {
    const vault = new Vault(new MemorySecretStore(), status);
    expect(vault.generation('au')).toBe(0);
    await vault.set(audian('https://api.audian.com'), 'apiKey', 'a');
    await vault.set(audian('https://api.audian.com'), 'apiKey', 'a');
    expect(vault.generation('au')).toBe(2);
    await vault.clear('au');
    expect(vault.generation('au')).toBe(3);
    expect(vault.generation('other')).toBe(0);
    const next = new Vault(new MemorySecretStore(), status);
    await vault.moveSecretsTo(next);
    expect(next.generation('au'), 'moving stores is not a change').toBe(3);
  });
});

describe('login backoff', () => {
  it('doubles from 5 s up to 5 minutes, and starts over after a success', () => {
    const b = new LoginBackoff();
    let now = 0;
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const at = b.refused(now);
      waits.push(at - now);
      now = at;
    }
    expect(waits).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000, 300_000]);
    b.reset();
    expect(b.retryAt).toBeNull();
    expect(b.refused(now) - now).toBe(5_000);
  });

  it('counts refusals that arrive during a wait (parallel polls) as one', () => {
    const b = new LoginBackoff();
    expect(b.refused(1_000)).toBe(6_000);
    expect(b.refused(1_200)).toBe(6_000);
    expect(b.refused(5_999)).toBe(6_000);
    expect(b.refused(6_000)).toBe(16_000);
  });

  it('shows the retry time as HH:MM:SS on this computer', () => {
    const at = new Date(2026, 0, 2, 9, 5, 7).getTime();
    expect(clockTime(at)).toBe('09:05:07');
  });
});
