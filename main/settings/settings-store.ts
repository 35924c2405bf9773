// Loads, repairs and saves settings. A file that cannot be used as it is (another encoding,
// damaged, parts left out, too many accounts enabled) is copied aside before anything is written,
// what it held is kept as far as it can be, and what was done is reported to the user.
import { chmodSync, existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import type { AccountConfig } from '../domain/account.js';
import type { SettingsProblem } from '../../preload/contract.js';
import { assertCapKept, assertWithinCap } from './account-cap.js';
import { PRIVATE_FILE_MODE } from './data-folder.js';
import { readSettings } from './read-settings.js';
import { Settings, defaultSettings } from './schema.js';

/** conf in Node, electron-store in Electron: both expose the whole document as `store`. */
export interface ConfLike {
  store: Record<string, unknown>;
  readonly path: string;
}

export interface LoadResult {
  settings: Settings;
  problems: SettingsProblem[];
}

/**
 * Each save renames a new file over settings.json, with the mode the library was opened with. A
 * host that forgot SETTINGS_LIBRARY_OPTIONS would write it world-readable (conf's default is 0666
 * less the umask), so every save makes sure it is the user's only.
 */
function keepPrivate(file: string): void {
  if (process.platform === 'win32') return;
  try {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, PRIVATE_FILE_MODE);
  } catch {
    // Settings were written; a mode that cannot be read or changed is reported at the next start.
  }
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
   * file they cannot read or quietly clear it, and both would lose what the user had.
   */
  static open(filePath: string, createConf: () => ConfLike, now = Date.now): SettingsStore {
    const problems: SettingsProblem[] = [];
    let settings = defaultSettings();
    if (existsSync(filePath)) {
      const bytes = readFileSync(filePath);
      const read = readSettings(bytes);
      settings = read.settings;
      if (read.findings.length > 0) {
        const backupPath = filePath.replace(/\.json$/, '') + `.corrupt-${now()}.json`;
        writeFileSync(backupPath, bytes, { mode: PRIVATE_FILE_MODE });
        // The library reads the file as UTF-8 JSON when it opens it, and would throw on this one.
        if (!read.plainJson) unlinkSync(filePath);
        problems.push({ backupPath, message: `${read.findings.join(' ')} The file as it was is kept at ${backupPath}.` });
      }
    }
    const store = new SettingsStore(createConf(), { settings, problems });
    store.save();
    return store;
  }

  get(): Settings {
    return this.current;
  }

  /** Refuses, with the reason, an account save the settings would not take; called before its secrets are stored. */
  assertCanSave(account: AccountConfig): void {
    assertWithinCap(this.current.accounts, account);
  }

  update(mutate: (draft: Settings) => void): Settings {
    const draft = structuredClone(this.current);
    mutate(draft);
    // Validate before writing so a bug can never put an unreadable document on disk.
    const next = Settings.parse(draft);
    assertCapKept(this.current.accounts, next.accounts);
    this.current = next;
    this.save();
    return this.current;
  }

  private save(): void {
    this.conf.store = this.current as unknown as Record<string, unknown>;
    keepPrivate(this.conf.path);
  }
}
