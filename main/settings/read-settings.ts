// From the bytes of settings.json to settings the app can run on, saying precisely what had to be
// done to get there: another encoding decoded, JSON salvaged, parts left out (invalid, or a second
// account with an id already taken), accounts past the cap disabled. The caller keeps the file as
// it was whenever anything is said, so nothing the supervisor had is lost.
import { AccountConfig } from '../domain/account.js';
import { AlertThresholds, NetworkPrefs, NotificationPrefs, UiPrefs, type Preferences } from '../../preload/contract.js';
import { MAX_ENABLED_ACCOUNTS, capEnabledAccounts } from './account-cap.js';
import { salvageJson } from './salvage-json.js';
import { DEFAULT_PREFERENCES, MIGRATIONS, SETTINGS_VERSION, Settings, defaultSettings } from './schema.js';
import { decodeText, type TextEncodingFound } from './text-encoding.js';

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Long lists (a file of 2,000 accounts) are named in part, so the message stays readable. */
const MAX_NAMED = 10;
export function nameSome(items: readonly string[]): string {
  if (items.length <= MAX_NAMED) return items.join(', ');
  return `${items.slice(0, MAX_NAMED).join(', ')} and ${items.length - MAX_NAMED} more`;
}

const accountName = (a: unknown, i: number): string => (isObject(a) && typeof a.label === 'string' ? `"${a.label.slice(0, 40)}"` : `#${i + 1}`);

/**
 * Keeps each account entry that validates and whose id no earlier kept entry has: two accounts
 * with one id would share their secrets and their place in the engine, so the first one wins.
 */
function keepAccounts(list: readonly unknown[]): { kept: unknown[]; dropped: string[] } {
  const kept: unknown[] = [];
  const dropped: string[] = [];
  const firstById = new Map<string, string>();
  list.forEach((a, i) => {
    const name = accountName(a, i);
    const p = AccountConfig.safeParse(a);
    if (!p.success) {
      dropped.push(`account ${name}`);
      return;
    }
    const first = firstById.get(p.data.id);
    if (first !== undefined) {
      dropped.push(`account ${name} (a second account with id "${p.data.id}"; the first, ${first}, was kept)`);
      return;
    }
    firstById.set(p.data.id, name);
    kept.push(a);
  });
  return { kept, dropped };
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
  const accounts = Array.isArray(doc.accounts) ? keepAccounts(doc.accounts) : null;
  if (accounts) dropped.push(...accounts.dropped);
  const whole = Settings.safeParse({ ...doc, schemaVersion: SETTINGS_VERSION, ...(accounts ? { accounts: accounts.kept } : {}) });
  if (whole.success) return { settings: whole.data, dropped };

  const out = defaultSettings();
  out.accounts = (accounts?.kept ?? []).map((a) => AccountConfig.parse(a));
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

const ENCODING_FINDINGS: Record<Exclude<TextEncodingFound, 'utf-8'>, string> = {
  'utf-8-bom': 'settings.json began with a byte-order mark; rewritten as UTF-8 without it.',
  'utf-16le': 'settings.json was UTF-16 (little-endian); rewritten as UTF-8.',
  'utf-16be': 'settings.json was UTF-16 (big-endian); rewritten as UTF-8.',
};

export interface ReadSettings {
  settings: Settings;
  /** What was found and done, one sentence each, for the supervisor; empty when the file was fine. */
  findings: string[];
  /** The file on disk is plain UTF-8 JSON that a settings library can read as it is. */
  plainJson: boolean;
}

export function readSettings(bytes: Buffer): ReadSettings {
  const findings: string[] = [];
  const { text, encoding } = decodeText(bytes);
  if (encoding !== 'utf-8') findings.push(ENCODING_FINDINGS[encoding]);

  let raw: unknown;
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
  if (!parsedOk || repaired.dropped.length > 0) {
    findings.push(`Settings could not be read in full${salvaged ? ` (not valid JSON: ${salvaged.note})` : ''}. Left out: ${nameSome(repaired.dropped) || 'nothing else'}.`);
  }

  const capped = capEnabledAccounts(repaired.settings.accounts);
  if (capped.disabled.length > 0) {
    const enabled = MAX_ENABLED_ACCOUNTS + capped.disabled.length;
    findings.push(
      `${enabled} accounts were enabled and Switchboard runs at most ${MAX_ENABLED_ACCOUNTS} at once: the first ${MAX_ENABLED_ACCOUNTS} stay enabled; ` +
        `disabled (kept, and can be enabled again once others are disabled): ${nameSome(capped.disabled.map((a) => `"${a.label}" (${a.id})`))}.`,
    );
  }
  return {
    settings: { ...repaired.settings, accounts: capped.accounts },
    findings,
    plainJson: encoding === 'utf-8' && parsedOk,
  };
}
