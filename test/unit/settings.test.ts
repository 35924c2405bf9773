import Conf from 'conf';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../../main/settings/settings-store.js';
import { repairSettings } from '../../main/settings/read-settings.js';
import { SETTINGS_VERSION, defaultSettings } from '../../main/settings/schema.js';
import { MAX_ENABLED_ACCOUNTS } from '../../main/settings/account-cap.js';
import { AccountConfig } from '../../main/domain/account.js';
import { confFactory } from '../helpers/app.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sb-settings-'));
  file = path.join(dir, 'settings.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const goodAccount = { id: 'lv-1', label: 'LiveVox NA4', vendor: 'livevox', clientName: 'acme', userName: 'sup1', baseUrl: 'https://api.na4.livevox.com' };

describe('settings store', () => {
  it('creates a default file on first run', () => {
    const s = SettingsStore.open(file, confFactory(dir));
    expect(s.problems).toEqual([]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(defaultSettings());
  });

  it('backs up a corrupt file, reports it, and starts clean', () => {
    writeFileSync(file, '{"schemaVersion": 2, "accounts": [ {"id": "x"');
    const s = SettingsStore.open(file, confFactory(dir), () => 1234);
    expect(s.problems).toHaveLength(1);
    const backup = path.join(dir, 'settings.corrupt-1234.json');
    expect(s.problems[0]!.backupPath).toBe(backup);
    expect(s.problems[0]!.message).toContain('not valid JSON');
    expect(readFileSync(backup, 'utf8')).toBe('{"schemaVersion": 2, "accounts": [ {"id": "x"');
    expect(s.get()).toEqual(defaultSettings());
    expect(JSON.parse(readFileSync(file, 'utf8')).schemaVersion).toBe(SETTINGS_VERSION);
  });

  it('reads a hand-edited file with comments and trailing commas, keeping everything, and says so', () => {
    const text = `{
  // my accounts
  "schemaVersion": 2,
  "accounts": [${JSON.stringify(goodAccount)},],
  /* quiet please */
  "preferences": { "notifications": { "enabled": true, "agentStateChanges": true, "callAlerts": true, "doNotDisturb": true, }, },
}`;
    writeFileSync(file, text);
    const s = SettingsStore.open(file, confFactory(dir), () => 5);
    expect(s.get().accounts.map((a) => a.id)).toEqual(['lv-1']);
    expect(s.get().preferences.notifications.doNotDisturb).toBe(true);
    expect(s.problems[0]!.message).toMatch(/comments or trailing commas were ignored.*settings\.corrupt-5\.json/);
    expect(readFileSync(path.join(dir, 'settings.corrupt-5.json'), 'utf8')).toBe(text);
  });

  it('keeps the accounts before the damage in a file cut short or broken by a typo', () => {
    const second = { ...goodAccount, id: 'lv-2', label: 'LiveVox NA5' };
    const whole = JSON.stringify({ schemaVersion: 2, accounts: [goodAccount, second, { ...goodAccount, id: 'lv-3' }] }, null, 2);
    // A crash mid-write: the file ends inside the third account.
    writeFileSync(file, whole.slice(0, whole.indexOf('"lv-3"') + 3));
    let s = SettingsStore.open(file, confFactory(dir), () => 6);
    expect(s.get().accounts.map((a) => a.id)).toEqual(['lv-1', 'lv-2']);
    expect(s.problems[0]!.message).toMatch(/damaged at line \d+; everything before that was kept/);

    // A typo in the middle: the second account loses its closing quote.
    writeFileSync(file, whole.replace('"LiveVox NA5"', '"LiveVox NA5'));
    s = SettingsStore.open(file, confFactory(dir), () => 7);
    expect(s.get().accounts.map((a) => a.id)).toEqual(['lv-1']);
    expect(existsSync(path.join(dir, 'settings.corrupt-7.json'))).toBe(true);
  });

  it('starts clean, with a backup, when nothing in the file is readable', () => {
    writeFileSync(file, '\u0000\u0000garbage');
    const s = SettingsStore.open(file, confFactory(dir), () => 8);
    expect(s.get()).toEqual(defaultSettings());
    expect(s.problems[0]!.message).toContain('nothing in it could be read');
  });

  it('keeps the readable parts of an invalid file and names what it left out', () => {
    const doc = {
      schemaVersion: 2,
      accounts: [goodAccount, { id: 'BAD ID', label: 'Broken Exotel', vendor: 'exotel' }],
      preferences: { ui: { theme: 'neon' }, notifications: { enabled: false, agentStateChanges: true, callAlerts: true, doNotDisturb: true } },
      vault: { allowPlaintext: false },
    };
    writeFileSync(file, JSON.stringify(doc));
    const s = SettingsStore.open(file, confFactory(dir), () => 99);
    expect(s.get().accounts.map((a) => a.id)).toEqual(['lv-1']);
    expect(s.get().preferences.notifications.doNotDisturb).toBe(true);
    expect(s.get().preferences.ui.theme).toBe('system');
    expect(s.problems[0]!.message).toMatch(/account "Broken Exotel".*ui preferences/);
    expect(existsSync(path.join(dir, 'settings.corrupt-99.json'))).toBe(true);
  });

  it('migrates a version 1 file forward without a backup', () => {
    writeFileSync(
      file,
      JSON.stringify({ schemaVersion: 1, accounts: [goodAccount], notifications: { enabled: true, agentStateChanges: false, callAlerts: true, dnd: true } }),
    );
    const s = SettingsStore.open(file, confFactory(dir));
    expect(s.problems).toEqual([]);
    expect(s.get().schemaVersion).toBe(SETTINGS_VERSION);
    expect(s.get().preferences.notifications).toEqual({ enabled: true, agentStateChanges: false, callAlerts: true, doNotDisturb: true });
    expect(readdirSync(dir).filter((f) => f.includes('corrupt'))).toEqual([]);
  });

  it('refuses an update that would write an invalid document', () => {
    const s = SettingsStore.open(file, confFactory(dir));
    expect(() => s.update((d) => void (d.preferences.alerts.callLongerThanSec = -5))).toThrow();
    expect(s.get().preferences.alerts.callLongerThanSec).toBe(600);
    expect(JSON.parse(readFileSync(file, 'utf8')).preferences.alerts.callLongerThanSec).toBe(600);
  });

  it('a non-object document is replaced by defaults', () => {
    expect(repairSettings([1, 2]).dropped).toEqual(['the whole file (not a JSON object)']);
  });
});

const account = (n: number, extra: Record<string, unknown> = {}) => ({ ...goodAccount, id: `lv-${n}`, label: `LiveVox ${n}`, ...extra });
const settingsText = (accounts: unknown[]) => JSON.stringify({ schemaVersion: 2, accounts }, null, 2);
const modeOf = (p: string) => statSync(p).mode & 0o777;

describe('settings in another encoding', () => {
  const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();

  it.each([
    ['UTF-8 with a byte-order mark', (t: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')]), /began with a byte-order mark; rewritten as UTF-8 without it/],
    ['UTF-16 LE with a byte-order mark', (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]), /settings\.json was UTF-16 \(little-endian\); rewritten as UTF-8\./],
    ['UTF-16 BE with a byte-order mark', (t: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(t)]), /settings\.json was UTF-16 \(big-endian\); rewritten as UTF-8\./],
    ['UTF-16 LE without a mark', (t: string) => Buffer.from(t, 'utf16le'), /settings\.json was UTF-16 \(little-endian\)/],
    ['UTF-16 BE without a mark', (t: string) => utf16be(t), /settings\.json was UTF-16 \(big-endian\)/],
  ])('reads %s whole, rewrites it as plain UTF-8 and says so (never "comments")', (_name, encode, said) => {
    // A label outside ASCII shows the text was decoded, not just its ASCII bytes picked out.
    const text = settingsText([account(1, { label: 'Zentrale Köln ☎' }), account(2)]);
    const bytes = encode(text);
    writeFileSync(file, bytes);
    const s = SettingsStore.open(file, confFactory(dir), () => 11);
    expect(s.get().accounts.map((a) => [a.id, a.label])).toEqual([
      ['lv-1', 'Zentrale Köln ☎'],
      ['lv-2', 'LiveVox 2'],
    ]);
    expect(s.problems).toHaveLength(1);
    const message = s.problems[0]!.message;
    expect(message).toMatch(said);
    expect(message).not.toMatch(/comments|could not be read|Left out/);
    expect(message).toContain(path.join(dir, 'settings.corrupt-11.json'));
    // The file is now plain UTF-8 JSON (no mark), and the original bytes are kept as they were.
    const rewritten = readFileSync(file);
    expect(rewritten[0]).toBe('{'.charCodeAt(0));
    expect(JSON.parse(rewritten.toString('utf8')).accounts).toHaveLength(2);
    expect(readFileSync(path.join(dir, 'settings.corrupt-11.json')).equals(bytes)).toBe(true);
  });

  it('a UTF-16 file with a comment says both what it was and what was ignored', () => {
    const text = `{ // mine\n"schemaVersion": 2, "accounts": [${JSON.stringify(account(1))}] }`;
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const s = SettingsStore.open(file, confFactory(dir), () => 12);
    expect(s.get().accounts.map((a) => a.id)).toEqual(['lv-1']);
    expect(s.problems[0]!.message).toMatch(/UTF-16 \(little-endian\); rewritten as UTF-8\. Settings could not be read in full \(not valid JSON: comments or trailing commas were ignored\)/);
  });

  it('a plain UTF-8 file is left as it is, with no report and no copy', () => {
    writeFileSync(file, settingsText([account(1)]));
    const s = SettingsStore.open(file, confFactory(dir));
    expect(s.problems).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.includes('corrupt'))).toEqual([]);
  });
});

describe('duplicate account ids', () => {
  it('keeps the first account with an id, names each one left out, and keeps them in the copy', () => {
    const text = settingsText([
      account(1, { label: 'First one' }),
      account(2),
      account(1, { label: 'Second one' }),
      account(2, { label: 'Copy of 2', enabled: false }),
      account(1, { label: 'Third one' }),
    ]);
    writeFileSync(file, text);
    const s = SettingsStore.open(file, confFactory(dir), () => 13);
    expect(s.get().accounts.map((a) => [a.id, a.label])).toEqual([
      ['lv-1', 'First one'],
      ['lv-2', 'LiveVox 2'],
    ]);
    const message = s.problems[0]!.message;
    expect(message).toContain('account "Second one" (a second account with id "lv-1"; the first, "First one", was kept)');
    expect(message).toContain('account "Copy of 2" (a second account with id "lv-2"; the first, "LiveVox 2", was kept)');
    expect(message).toContain('account "Third one" (a second account with id "lv-1"; the first, "First one", was kept)');
    const kept = JSON.parse(readFileSync(path.join(dir, 'settings.corrupt-13.json'), 'utf8')) as { accounts: { label: string }[] };
    expect(kept.accounts.map((a) => a.label)).toEqual(['First one', 'LiveVox 2', 'Second one', 'Copy of 2', 'Third one']);
    expect(JSON.parse(readFileSync(file, 'utf8')).accounts).toHaveLength(2);
  });

  it('an invalid first entry does not take the id: the first valid one is kept', () => {
    writeFileSync(file, settingsText([{ id: 'lv-1', vendor: 'livevox', label: 'Broken' }, account(1)]));
    const s = SettingsStore.open(file, confFactory(dir), () => 14);
    expect(s.get().accounts.map((a) => a.label)).toEqual(['LiveVox 1']);
    expect(s.problems[0]!.message).toContain('Left out: account "Broken".');
  });
});

describe('the enabled-account cap', () => {
  it(`a file with more than ${MAX_ENABLED_ACCOUNTS} enabled accounts keeps every account, disables those past the cap and names them`, () => {
    const accounts = [account(0, { enabled: false }), ...Array.from({ length: MAX_ENABLED_ACCOUNTS + 3 }, (_, i) => account(i + 1))];
    writeFileSync(file, settingsText(accounts));
    const s = SettingsStore.open(file, confFactory(dir), () => 15);
    const got = s.get().accounts;
    expect(got).toHaveLength(accounts.length);
    expect(got.filter((a) => a.enabled)).toHaveLength(MAX_ENABLED_ACCOUNTS);
    // The first ones stay enabled, in the file's order; the last three are disabled.
    expect(got.filter((a) => a.enabled).map((a) => a.id)).toEqual(Array.from({ length: MAX_ENABLED_ACCOUNTS }, (_, i) => `lv-${i + 1}`));
    const n = MAX_ENABLED_ACCOUNTS;
    expect(s.problems[0]!.message).toContain(
      `${n + 3} accounts were enabled and Switchboard runs at most ${n} at once: the first ${n} stay enabled; ` +
        `disabled (kept, and can be enabled again once others are disabled): "LiveVox ${n + 1}" (lv-${n + 1}), "LiveVox ${n + 2}" (lv-${n + 2}), "LiveVox ${n + 3}" (lv-${n + 3}).`,
    );
    expect(s.problems[0]!.message).not.toContain('could not be read');
    expect(JSON.parse(readFileSync(path.join(dir, 'settings.corrupt-15.json'), 'utf8')).accounts.every((a: { enabled?: boolean }, i: number) => i === 0 || a.enabled !== false)).toBe(true);
  });

  it('names at most ten of a long list, then how many more', () => {
    writeFileSync(file, settingsText(Array.from({ length: 2000 }, (_, i) => account(i + 1))));
    const s = SettingsStore.open(file, confFactory(dir), () => 16);
    expect(s.get().accounts.filter((a) => a.enabled)).toHaveLength(MAX_ENABLED_ACCOUNTS);
    expect(s.get().accounts).toHaveLength(2000);
    expect(s.problems[0]!.message).toMatch(new RegExp(`^2000 accounts were enabled.*\\(lv-${MAX_ENABLED_ACCOUNTS + 10}\\) and ${2000 - MAX_ENABLED_ACCOUNTS - 10} more\\.`));
  });

  it('refuses an update past the cap with a clear message, and writes nothing', () => {
    writeFileSync(file, settingsText(Array.from({ length: MAX_ENABLED_ACCOUNTS }, (_, i) => account(i + 1))));
    const s = SettingsStore.open(file, confFactory(dir));
    const extra = AccountConfig.parse(account(99, { label: 'One too many' }));
    expect(() => s.assertCanSave(extra)).toThrow(
      `Switchboard runs at most ${MAX_ENABLED_ACCOUNTS} enabled accounts at once, and ${MAX_ENABLED_ACCOUNTS} are enabled already: disable or remove one first, or save "One too many" disabled.`,
    );
    expect(() => s.update((d) => void d.accounts.push(extra))).toThrow(/at most 50 enabled accounts/);
    expect(JSON.parse(readFileSync(file, 'utf8')).accounts).toHaveLength(MAX_ENABLED_ACCOUNTS);
    // Saved disabled, editing an enabled one, or enabling one once another is disabled: all fine.
    expect(() => s.assertCanSave({ ...extra, enabled: false })).not.toThrow();
    expect(() => s.assertCanSave({ ...s.get().accounts[0]!, label: 'Renamed' })).not.toThrow();
    s.update((d) => void (d.accounts[0]!.enabled = false));
    expect(() => s.assertCanSave(extra)).not.toThrow();
  });
});

describe('file modes', () => {
  it('writes settings.json owner-only, and keeps it so even through a library opened without the mode', () => {
    const s = SettingsStore.open(file, confFactory(dir));
    expect(modeOf(file)).toBe(0o600);
    s.update((d) => void (d.onboarding.welcomed = true));
    expect(modeOf(file)).toBe(0o600);

    // conf's own default writes 0666 less the umask; each save puts it back to the user's only.
    const loose = () => new Conf<Record<string, unknown>>({ projectName: 'switchboard-test', cwd: dir, configName: 'settings', clearInvalidConfig: false });
    const t = SettingsStore.open(file, loose);
    expect(modeOf(file)).toBe(0o600);
    t.update((d) => void (d.onboarding.demoDeclined = true));
    expect(modeOf(file)).toBe(0o600);
  });

  it('the copy kept of a file it had to repair is owner-only, whatever the original was', () => {
    writeFileSync(file, '{"schemaVersion": 2, "accounts": [', { mode: 0o644 });
    chmodSync(file, 0o644);
    SettingsStore.open(file, confFactory(dir), () => 17);
    expect(modeOf(path.join(dir, 'settings.corrupt-17.json'))).toBe(0o600);
  });
});
