// The data folder through a real app core: every file it holds is the user's only (created so, or
// tightened at start and logged), temp files a kill left behind are cleared, and the enabled-account
// cap holds on the contract's accounts.save path.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ENABLED_ACCOUNTS } from '../../main/settings/account-cap.js';
import { STALE_TEMP_MS } from '../../main/settings/data-folder.js';
import type { AccountView } from '../../preload/contract.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { filesUnder } from '../helpers/files.js';

let root: string;
let app: TestApp | null = null;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'sb-data-'));
});
afterEach(async () => {
  await app?.core.stop();
  app = null;
  rmSync(root, { recursive: true, force: true });
});

const modeOf = (p: string) => statSync(p).mode & 0o777;
const logLines = (dataDir: string) =>
  readFileSync(path.join(dataDir, 'logs', 'switchboard.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const lv = (n: number, extra: Record<string, unknown> = {}) => ({
  id: `lv-${n}`,
  label: `LiveVox ${n}`,
  vendor: 'livevox',
  clientName: 'acme',
  userName: 'sup1',
  baseUrl: 'https://api.na4.livevox.com',
  ...extra,
});

describe('file modes', () => {
  it('a first run creates the folder 0700 and every file in it 0600', async () => {
    const dataDir = path.join(root, 'Switchboard');
    app = await createTestApp({ dataDir });
    await app.core.start();
    // An audited action, so the audit log exists too.
    await app.core.dispatcher.dispatch('accounts.save', { account: lv(1, { enabled: false }), secrets: { password: 'pw' } });
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(path.join(dataDir, 'logs'))).toBe(0o700);
    const files = filesUnder(dataDir);
    expect(files.map((f) => path.relative(dataDir, f)).sort()).toEqual(expect.arrayContaining(['audit.jsonl', path.join('logs', 'switchboard.log'), 'settings.json']));
    for (const f of files) expect([path.relative(dataDir, f), modeOf(f)]).toEqual([path.relative(dataDir, f), 0o600]);
  });

  it('files and folders left looser are tightened at start, and each is logged', async () => {
    const dataDir = path.join(root, 'Switchboard');
    mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
    const loose: Record<string, string> = {
      'settings.json': JSON.stringify({ schemaVersion: 2, accounts: [], preferences: {}, vault: { allowPlaintext: false } }),
      'audit.jsonl': '',
      'secrets.enc.json': '{}',
      'secrets.enc.json.tmp': '{}',
      'settings.corrupt-1.json': '{',
      [path.join('logs', 'switchboard.log')]: '',
      [path.join('logs', 'switchboard.log.1')]: '',
    };
    for (const [rel, text] of Object.entries(loose)) {
      writeFileSync(path.join(dataDir, rel), text);
      chmodSync(path.join(dataDir, rel), 0o644);
    }
    // Someone else's file in the folder is not ours to change.
    writeFileSync(path.join(dataDir, 'notes.txt'), 'mine');
    chmodSync(path.join(dataDir, 'notes.txt'), 0o644);
    chmodSync(path.join(dataDir, 'logs'), 0o755);
    chmodSync(dataDir, 0o755);

    app = await createTestApp({ dataDir });
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(path.join(dataDir, 'logs'))).toBe(0o700);
    for (const rel of Object.keys(loose)) expect([rel, modeOf(path.join(dataDir, rel))]).toEqual([rel, 0o600]);
    expect(modeOf(path.join(dataDir, 'notes.txt'))).toBe(0o644);

    const tightened = logLines(dataDir).filter((l) => l.event === 'file.mode-tightened');
    expect(tightened.map((l) => [l.file, l.was]).sort()).toEqual(
      [['the data folder', '0755'], ['logs', '0755'], ...Object.keys(loose).map((rel) => [rel, '0644'])].sort(),
    );
    // The next start has nothing left to tighten.
    await app.core.stop();
    app = await createTestApp({ dataDir });
    expect(logLines(dataDir).filter((l) => l.event === 'file.mode-tightened')).toHaveLength(tightened.length);
  });
});

describe('temp files left by a kill', () => {
  it("removes only the settings library's own stale temp files, and logs each", async () => {
    const dataDir = path.join(root, 'Switchboard');
    mkdirSync(dataDir);
    const stale = ['settings.json.tmp-1761234567a1b2c3', 'settings.json.tmp-0000000001ffffff'];
    const fresh = 'settings.json.tmp-1769999999000000';
    const notOurs = ['settings.json.tmp-notours', 'other.json.tmp-1761234567a1b2c3', 'settings.json.bak'];
    const old = (Date.now() - STALE_TEMP_MS - 5_000) / 1000;
    for (const name of [...stale, fresh, ...notOurs]) {
      writeFileSync(path.join(dataDir, name), '{"half": ');
      if (name !== fresh) utimesSync(path.join(dataDir, name), old, old);
    }
    app = await createTestApp({ dataDir });
    const left = readdirSync(dataDir);
    for (const name of stale) expect(left).not.toContain(name);
    // A young one may be another host's write in progress (the browser console beside the app).
    expect(left).toEqual(expect.arrayContaining([fresh, ...notOurs]));
    expect(
      logLines(dataDir)
        .filter((l) => l.event === 'settings.temp-removed')
        .map((l) => l.file)
        .sort(),
    ).toEqual([...stale].sort());
  });
});

describe('the enabled-account cap on accounts.save', () => {
  it(`refuses one enabled account past the ${MAX_ENABLED_ACCOUNTS} with a clear message, storing nothing, and takes it disabled`, async () => {
    const dataDir = path.join(root, 'Switchboard');
    mkdirSync(dataDir);
    const accounts = Array.from({ length: MAX_ENABLED_ACCOUNTS }, (_, i) => lv(i + 1));
    const text = JSON.stringify({ schemaVersion: 2, accounts });
    writeFileSync(path.join(dataDir, 'settings.json'), text);
    app = await createTestApp({ dataDir });
    const d = app.core.dispatcher;

    const extra = lv(99, { label: 'One too many' });
    const refused = await d.dispatch('accounts.save', { account: extra, secrets: { accessToken: 'tok-99', password: 'pw-99' } });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'invalid_state',
        message: `Switchboard runs at most ${MAX_ENABLED_ACCOUNTS} enabled accounts at once, and ${MAX_ENABLED_ACCOUNTS} are enabled already: disable or remove one first, or save "One too many" disabled.`,
      },
    });
    const list = (await d.dispatch('accounts.list', {})) as { ok: true; value: AccountView[] };
    expect(list.value.map((a) => a.config.id)).not.toContain('lv-99');
    expect(JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8')).accounts).toHaveLength(MAX_ENABLED_ACCOUNTS);
    const audit = (await d.dispatch('audit.list', { limit: 10 })) as { ok: true; value: { entries: { action: string; outcome: string; target: string }[] } };
    expect(audit.value.entries.filter((e) => e.target === 'lv-99').map((e) => [e.action, e.outcome])).toContainEqual(['account.save', 'failed']);

    // Saved disabled it is taken, and the refused save left no secret behind for it.
    const disabled = (await d.dispatch('accounts.save', { account: { ...extra, enabled: false } })) as { ok: true; value: AccountView };
    expect(disabled.ok).toBe(true);
    expect(disabled.value.secretsSet).toEqual([]);
    // Once another is disabled, it can be enabled.
    expect((await d.dispatch('accounts.save', { account: lv(1, { enabled: false }) })).ok).toBe(true);
    expect((await d.dispatch('accounts.save', { account: extra })).ok).toBe(true);
  });

  it('a settings file with too many enabled accounts loads with the first ones enabled and says which were disabled', async () => {
    const dataDir = path.join(root, 'Switchboard');
    mkdirSync(dataDir);
    writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ schemaVersion: 2, accounts: Array.from({ length: MAX_ENABLED_ACCOUNTS + 2 }, (_, i) => lv(i + 1)) }));
    app = await createTestApp({ dataDir });
    await app.core.start();
    const problems = (await app.core.dispatcher.dispatch('settings.problems', {})) as { ok: true; value: { message: string; backupPath: string }[] };
    expect(problems.value).toHaveLength(1);
    expect(problems.value[0]!.message).toContain(`disabled (kept, and can be enabled again once others are disabled): "LiveVox ${MAX_ENABLED_ACCOUNTS + 1}" (lv-${MAX_ENABLED_ACCOUNTS + 1}), "LiveVox ${MAX_ENABLED_ACCOUNTS + 2}" (lv-${MAX_ENABLED_ACCOUNTS + 2}).`);
    expect(existsSync(problems.value[0]!.backupPath)).toBe(true);
    const list = (await app.core.dispatcher.dispatch('accounts.list', {})) as { ok: true; value: AccountView[] };
    expect(list.value.filter((a) => a.config.enabled)).toHaveLength(MAX_ENABLED_ACCOUNTS);
    expect(list.value).toHaveLength(MAX_ENABLED_ACCOUNTS + 2);
    expect(logLines(dataDir).some((l) => l.event === 'settings.repaired' && String(l.detail).includes(`lv-${MAX_ENABLED_ACCOUNTS + 2}`))).toBe(true);
  });
});
