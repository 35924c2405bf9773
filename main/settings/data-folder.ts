// The data folder holds the supervisor's accounts, their audit trail, the app log and (without a
// keychain) the encrypted secrets: none of it is anyone else's business on a shared machine. Every
// file Switchboard writes there is created owner-only; at start, files and folders left looser by an
// older version or a hand copy are tightened, and the settings library's temp files that a kill left
// behind are removed.
import { chmodSync, mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Where each of Switchboard's files lives, relative to the data folder. */
export const DATA_FILES = {
  settings: 'settings.json',
  audit: 'audit.jsonl',
  logs: 'logs',
  log: path.join('logs', 'switchboard.log'),
  secrets: 'secrets.enc.json',
} as const;

/**
 * What a host's settings library (conf in Node, electron-store in Electron) is opened with: its
 * writes (a temp file renamed over settings.json) create the file owner-only, and SettingsStore
 * reads and repairs the file itself, so the library neither clears nor reinterprets it.
 */
export const SETTINGS_LIBRARY_OPTIONS = {
  configFileMode: PRIVATE_FILE_MODE,
  clearInvalidConfig: false,
  accessPropertiesByDotNotation: false,
} as const;

/** Our own files beside the fixed names: settings backups, the log's previous file, the vault's temp and set-aside copies. */
const PRIVATE_PATTERNS = [/^settings\.corrupt-\d+\.json$/, /^secrets\.enc\.json\.(tmp|unreadable-\d+)$/, /^switchboard\.log\.1$/];

/** The temp files conf / electron-store (through `atomically`) write before renaming over settings.json. */
const SETTINGS_TEMP = /^settings\.json\.tmp-\d{10}[0-9a-f]{6}$/;
/**
 * A temp file this old is no write in progress: the library's synchronous writes give up after a
 * second. Younger ones are left alone, since a second host (the browser console beside the app)
 * may be writing the same folder right now.
 */
export const STALE_TEMP_MS = 10_000;

export interface Housekeeping {
  /** Relative paths tightened, with the mode they had (octal). */
  tightened: { file: string; was: string }[];
  /** Relative paths whose mode could not be changed, with the system's error code. */
  untightened: { file: string; code: string }[];
  /** Stale settings temp files removed. */
  removedTemp: string[];
}

const label = (rel: string): string => (rel === '.' ? 'the data folder' : rel);
const octal = (mode: number): string => (mode & 0o777).toString(8).padStart(4, '0');
const errCode = (err: unknown): string => (err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : 'unknown');

/** Creates the folder owner-only (and any missing parents with it). */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Makes the data folder private and tidy before anything in it is read. POSIX modes only: on
 * Windows the folder is under the user's profile, whose ACL already keeps other users out.
 */
export function prepareDataFolder(dataDir: string): Housekeeping {
  const out: Housekeeping = { tightened: [], untightened: [], removedTemp: [] };
  makePrivateDir(dataDir);
  makePrivateDir(path.join(dataDir, DATA_FILES.logs));

  const tighten = (rel: string, wanted: number): void => {
    const full = path.join(dataDir, rel);
    try {
      const mode = statSync(full).mode;
      if ((mode & 0o777 & ~wanted) === 0) return;
      chmodSync(full, wanted);
      out.tightened.push({ file: label(rel), was: octal(mode) });
    } catch (err) {
      if (errCode(err) !== 'ENOENT') out.untightened.push({ file: label(rel), code: errCode(err) });
    }
  };

  const listed = (rel: string): string[] => {
    try {
      return readdirSync(path.join(dataDir, rel));
    } catch {
      return [];
    }
  };
  const top = listed('.');
  for (const name of top) {
    if (!SETTINGS_TEMP.test(name)) continue;
    const full = path.join(dataDir, name);
    try {
      if (Date.now() - statSync(full).mtimeMs < STALE_TEMP_MS) continue;
      unlinkSync(full);
      out.removedTemp.push(name);
    } catch {
      // Gone already (the other host renamed it), or not ours to remove: nothing to tidy.
    }
  }

  if (process.platform === 'win32') return out;
  tighten('.', PRIVATE_DIR_MODE);
  tighten(DATA_FILES.logs, PRIVATE_DIR_MODE);
  for (const rel of [DATA_FILES.settings, DATA_FILES.audit, DATA_FILES.secrets, DATA_FILES.log]) tighten(rel, PRIVATE_FILE_MODE);
  for (const name of top) if (PRIVATE_PATTERNS.some((p) => p.test(name))) tighten(name, PRIVATE_FILE_MODE);
  for (const name of listed(DATA_FILES.logs)) if (PRIVATE_PATTERNS.some((p) => p.test(name))) tighten(path.join(DATA_FILES.logs, name), PRIVATE_FILE_MODE);
  return out;
}
