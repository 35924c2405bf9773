// Settings from before time zones held fixed minute offsets; each becomes the zone that reads
// vendor times exactly as before, so upgrading changes no account.
import { describe, expect, it } from 'vitest';
import { repairSettings } from '../../main/settings/read-settings.js';
import { SETTINGS_VERSION } from '../../main/settings/schema.js';

let n = 0;
const ev = (extra: Record<string, unknown>) => ({ vendor: 'engage-voice', id: `ev-${(n += 1)}`, label: 'EV', baseUrl: 'https://ringcx.ringcentral.com/voice', accountId: '1', ...extra });
const exotel = (extra: Record<string, unknown>) => ({ vendor: 'exotel', id: `ex-${(n += 1)}`, label: 'Exotel', accountSid: 's', ...extra });

describe('settings version 2 → 3: offsets become time zones', () => {
  it('turns each account offset into the zone that reads the same way, and keeps every account', () => {
    const { settings, dropped } = repairSettings({
      schemaVersion: 2,
      accounts: [
        ev({ timeOffsetMinutes: 0 }),
        ev({ timeOffsetMinutes: -300 }),
        ev({ timeOffsetMinutes: 330 }),
        exotel({ v1UtcOffsetMinutes: 330 }),
        exotel({ v1UtcOffsetMinutes: 345 }),
        exotel({ v1UtcOffsetMinutes: -210 }),
      ],
    });
    expect(dropped).toEqual([]);
    expect(settings.schemaVersion).toBe(SETTINGS_VERSION);
    expect(settings.accounts.map((a) => ('timeZone' in a ? a.timeZone : null))).toEqual(['UTC', 'UTC-05:00', 'Asia/Kolkata', 'Asia/Kolkata', 'UTC+05:45', 'UTC-03:30']);
    for (const a of settings.accounts) {
      expect(a).not.toHaveProperty('timeOffsetMinutes');
      expect(a).not.toHaveProperty('v1UtcOffsetMinutes');
    }
  });

  it('an offset that was never valid falls back to the default zone rather than losing the account', () => {
    const { settings, dropped } = repairSettings({ schemaVersion: 2, accounts: [exotel({ v1UtcOffsetMinutes: 9999 }), exotel({ v1UtcOffsetMinutes: 'IST' })] });
    expect(dropped).toEqual([]);
    expect(settings.accounts.map((a) => ('timeZone' in a ? a.timeZone : null))).toEqual(['Asia/Kolkata', 'Asia/Kolkata']);
  });

  it('a zone already set wins over a left-over offset', () => {
    const { settings } = repairSettings({ schemaVersion: 2, accounts: [exotel({ v1UtcOffsetMinutes: 0, timeZone: 'Europe/London' })] });
    expect(settings.accounts[0]).toMatchObject({ timeZone: 'Europe/London' });
  });
});
