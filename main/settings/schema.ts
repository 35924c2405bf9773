// The settings file: what it holds, its defaults, and how older versions are brought forward.
import { z } from 'zod';
import { AccountConfig } from '../domain/account.js';
import { Preferences } from '../../preload/contract.js';
import { fixedZoneName } from '../domain/time-zone.js';

export const SETTINGS_VERSION = 3;

export const DEFAULT_PREFERENCES: Preferences = {
  ui: { theme: 'system', closeToTray: true, savedViews: [] },
  notifications: { enabled: true, agentStateChanges: true, callAlerts: true, doNotDisturb: false },
  alerts: { callLongerThanSec: 600, holdLongerThanSec: 120, ringingLongerThanSec: 30, notReadyLongerThanSec: 900 },
  network: { extraCaFile: null },
};

export const Settings = z.object({
  schemaVersion: z.literal(SETTINGS_VERSION),
  accounts: z.array(AccountConfig),
  preferences: Preferences,
  vault: z.object({ allowPlaintext: z.boolean() }),
  /** First run: whether the welcome was seen and whether the supervisor left the demo. */
  onboarding: z.object({ welcomed: z.boolean(), demoDeclined: z.boolean() }).default({ welcomed: false, demoDeclined: false }),
});
export type Settings = z.infer<typeof Settings>;

export function defaultSettings(): Settings {
  return {
    schemaVersion: SETTINGS_VERSION,
    accounts: [],
    preferences: structuredClone(DEFAULT_PREFERENCES),
    vault: { allowPlaintext: false },
    onboarding: { welcomed: false, demoDeclined: false },
  };
}

type Raw = Record<string, unknown>;
/** migrations[n] turns a version-n file into version n+1. */
export const MIGRATIONS: Record<number, (old: Raw) => Raw> = {
  // v1 kept notification switches at the top level and called do-not-disturb `dnd`.
  1: (old) => {
    const { notifications, ...rest } = old;
    const n = (notifications ?? {}) as Raw;
    const prefs = (rest.preferences ?? {}) as Raw;
    return {
      ...rest,
      schemaVersion: 2,
      preferences: {
        ...prefs,
        notifications: {
          enabled: n.enabled,
          agentStateChanges: n.agentStateChanges,
          callAlerts: n.callAlerts,
          doNotDisturb: n.dnd,
        },
      },
    };
  },
  // v2 read zone-less vendor times at a fixed offset (Engage Voice timeOffsetMinutes, Exotel
  // v1UtcOffsetMinutes); v3 has a time zone. Each offset becomes the zone that reads times exactly
  // as it did (IST as Asia/Kolkata, which has kept +05:30 since 1945), so no account changes.
  // v3 also has network preferences (no extra CA file to begin with).
  2: (old) => {
    const prefs = typeof old.preferences === 'object' && old.preferences !== null ? (old.preferences as Raw) : {};
    return {
      ...old,
      schemaVersion: 3,
      accounts: Array.isArray(old.accounts) ? old.accounts.map(withTimeZone) : old.accounts,
      preferences: { ...prefs, network: prefs.network ?? { extraCaFile: null } },
    };
  },
};

const LEGACY_OFFSET_FIELDS = ['timeOffsetMinutes', 'v1UtcOffsetMinutes'] as const;

function withTimeZone(account: unknown): unknown {
  if (typeof account !== 'object' || account === null || Array.isArray(account)) return account;
  const out: Raw = { ...(account as Raw) };
  for (const field of LEGACY_OFFSET_FIELDS) {
    const minutes = out[field];
    delete out[field];
    if (out.timeZone !== undefined || typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < -720 || minutes > 840) continue;
    out.timeZone = minutes === 330 ? 'Asia/Kolkata' : fixedZoneName(minutes);
  }
  return out;
}
