import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsStore, repairSettings } from '../../main/settings/settings-store.js';
import { SETTINGS_VERSION, defaultSettings } from '../../main/settings/schema.js';
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
