// Loads, repairs and saves settings. A file that cannot be read whole is copied aside before
// anything is written, the readable parts are kept, and the problem is reported to the user.
import { copyFileSync, existsSync, readFileSync, unlinkSync } from 'node:fs';
import { AccountConfig } from '../domain/account.js';
import { AlertThresholds, NetworkPrefs, NotificationPrefs, UiPrefs, type Preferences, type SettingsProblem } from '../../preload/contract.js';
import { salvageJson } from './salvage-json.js';
import { DEFAULT_PREFERENCES, MIGRATIONS, SETTINGS_VERSION, Settings, defaultSettings } from './schema.js';

/** conf in Node, electron-store in Electron: both expose the whole document as `store`. */
export interface ConfLike {
  store: Record<string, unknown>;
  readonly path: string;
}

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface LoadResult {
  settings: Settings;
  problems: SettingsProblem[];
}

/** Brings a parsed document to the current version and keeps every part that validates. */
export function repairSettings(raw: unknown, migrations = MIGRATIONS): { settings: Settings; dropped: string[] } {
  if (!isObject(raw)) return { settings: defaultSettings(), dropped: ['the whole file (not a JSON object)'] };
  let doc: Raw = raw;
  let version = typeof doc.schemaVersion === 'number' ? doc.schemaVersion : 1;
  const dropped: string[] = [];
  if (version > SETTINGS_VERSION) dropped.push(`nothing, but the file is from a newer Switchboard (version ${version}); unknown parts were ignored`);
  while (version < SETTINGS_VERSION) {
    const step = migrations[version];
    if (!step) {
      dropped.push(`settings from version ${version} (no migration)`);
      break;
    }
    doc = step(doc);
    version += 1;
  }
  const whole = Settings.safeParse({ ...doc, schemaVersion: SETTINGS_VERSION });
  if (whole.success) return { settings: whole.data, dropped };

  const out = defaultSettings();
  const accounts = Array.isArray(doc.accounts) ? doc.accounts : [];
  const seen = new Set<string>();
  accounts.forEach((a, i) => {
    const p = AccountConfig.safeParse(a);
    if (p.success && !seen.has(p.data.id)) {
      seen.add(p.data.id);
      out.accounts.push(p.data);
    } else {
      const label = isObject(a) && typeof a.label === 'string' ? `"${a.label.slice(0, 40)}"` : `#${i + 1}`;
      dropped.push(`account ${label}`);
    }
  });
  const prefs = isObject(doc.preferences) ? doc.preferences : {};
  const section = <T>(name: keyof Preferences, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, fallback: T): T => {
    if (prefs[name] === undefined) return fallback;
    const p = schema.safeParse(prefs[name]);
    if (p.success) return p.data;
    dropped.push(`${name} preferences`);
    return fallback;
  };
  out.preferences = {
    ui: section('ui', UiPrefs, DEFAULT_PREFERENCES.ui),
    notifications: section('notifications', NotificationPrefs, DEFAULT_PREFERENCES.notifications),
    alerts: section('alerts', AlertThresholds, DEFAULT_PREFERENCES.alerts),
    network: section('network', NetworkPrefs, DEFAULT_PREFERENCES.network),
  };
  out.vault.allowPlaintext = isObject(doc.vault) && doc.vault.allowPlaintext === true;
  if (isObject(doc.onboarding)) {
    out.onboarding = { welcomed: doc.onboarding.welcomed === true, demoDeclined: doc.onboarding.demoDeclined === true };
  }
  return { settings: out, dropped };
}

export class SettingsStore {
  private current: Settings;
  readonly problems: SettingsProblem[];

  private constructor(
    private readonly conf: ConfLike,
    loaded: LoadResult,
  ) {
    this.current = loaded.settings;
    this.problems = loaded.problems;
  }

  /**
   * Reads the file at `filePath` before the store library does: the libraries either throw on a
   * broken file or quietly clear it, and both would lose what the user had.
   */
  static open(filePath: string, createConf: () => ConfLike, now = Date.now): SettingsStore {
    const problems: SettingsProblem[] = [];
    let raw: unknown = undefined;
    if (existsSync(filePath)) {
      const text = readFileSync(filePath, 'utf8');
      let parsedOk = true;
      try {
        raw = JSON.parse(text) as unknown;
      } catch {
        parsedOk = false;
      }
      const salvaged = parsedOk ? null : salvageJson(text);
      const repaired = parsedOk
        ? repairSettings(raw)
        : salvaged
          ? repairSettings(salvaged.value)
          : { settings: defaultSettings(), dropped: ['the whole file (not valid JSON, and nothing in it could be read)'] };
      const needsBackup = !parsedOk || repaired.dropped.length > 0;
      if (needsBackup) {
        const backupPath = filePath.replace(/\.json$/, '') + `.corrupt-${now()}.json`;
        copyFileSync(filePath, backupPath);
        if (!parsedOk) unlinkSync(filePath);
        problems.push({
          backupPath,
          message: `Settings could not be read in full${salvaged ? ` (not valid JSON: ${salvaged.note})` : ''}; kept a copy at ${backupPath}. Left out: ${repaired.dropped.join(', ') || 'nothing else'}.`,
        });
      }
      const conf = createConf();
      const store = new SettingsStore(conf, { settings: repaired.settings, problems });
      store.save();
      return store;
    }
    const conf = createConf();
    const store = new SettingsStore(conf, { settings: defaultSettings(), problems });
    store.save();
    return store;
  }

  get(): Settings {
    return this.current;
  }

  update(mutate: (draft: Settings) => void): Settings {
    const draft = structuredClone(this.current);
    mutate(draft);
    // Validate before writing so a bug can never put an unreadable document on disk.
    this.current = Settings.parse(draft);
    this.save();
    return this.current;
  }

  private save(): void {
    this.conf.store = this.current as unknown as Record<string, unknown>;
  }
}
