// Vendor local times in an account's IANA zone, at both daylight-saving changes of 2026 in two
// zones that change (New York, London) and one that never does (Kolkata); the quarter-hour-offset
// zone Lord Howe changes at half past a UTC hour, which the per-hour offset cache must survive.
import { describe, expect, it } from 'vitest';
import { AccountConfig } from '../../main/domain/account.js';
import { fixedOffsetMinutes, fixedZoneName, hostTimeZone, timeZoneProblem } from '../../main/domain/time-zone.js';
import { ZoneClock, formatCompactTimestamp, naiveWall, parseVendorTime, zoneClock } from '../../main/vendors/shared/time.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const utc = (y: number, mo: number, d: number, h: number, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h, mi, s);
/** A wall clock reading, written as if UTC. */
const wall = utc;

/** Offset of `zone` at `at` by another road: Intl's own "GMT+05:30" name. */
const offsetNames = new Map<string, Intl.DateTimeFormat>();
function referenceOffset(zone: string, at: number): number {
  if (!offsetNames.has(zone)) offsetNames.set(zone, new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }));
  const name = offsetNames.get(zone)!.formatToParts(at).find((p) => p.type === 'timeZoneName')!.value;
  if (name === 'GMT') return 0;
  const sign = name[3] === '-' ? -1 : 1;
  const [h, m] = name.slice(4).split(':').map(Number);
  return sign * (h! * 60 + (m ?? 0)) * MIN;
}

describe('ZoneClock: America/New_York in 2026 (EST -5 → EDT -4 on 8 March at 02:00; back on 1 November at 02:00)', () => {
  const ny = new ZoneClock('America/New_York');
  it('reads ordinary times on either side of each change', () => {
    expect(ny.toInstant(wall(2026, 3, 7, 12))).toBe(utc(2026, 3, 7, 17));
    expect(ny.toInstant(wall(2026, 3, 9, 12))).toBe(utc(2026, 3, 9, 16));
    expect(ny.toInstant(wall(2026, 10, 31, 12))).toBe(utc(2026, 10, 31, 16));
    expect(ny.toInstant(wall(2026, 11, 2, 12))).toBe(utc(2026, 11, 2, 17));
  });
  it('spring: the last second before and the first after the change', () => {
    expect(ny.toInstant(wall(2026, 3, 8, 1, 59, 59))).toBe(utc(2026, 3, 8, 6, 59, 59));
    expect(ny.toInstant(wall(2026, 3, 8, 3, 0, 0))).toBe(utc(2026, 3, 8, 7));
  });
  it('spring gap: 02:30 never happens; it is read with the offset before the change (EST), landing at 03:30 EDT', () => {
    expect(ny.toInstant(wall(2026, 3, 8, 2, 30))).toBe(utc(2026, 3, 8, 7, 30));
    expect(new Date(ny.toWall(utc(2026, 3, 8, 7, 30))).getUTCHours()).toBe(3);
  });
  it('autumn overlap: 01:30 happens twice; the first (EDT, 05:30Z) is picked', () => {
    expect(ny.toInstant(wall(2026, 11, 1, 1, 30))).toBe(utc(2026, 11, 1, 5, 30));
    // Both instants really do show 01:30.
    expect(ny.toWall(utc(2026, 11, 1, 5, 30))).toBe(wall(2026, 11, 1, 1, 30));
    expect(ny.toWall(utc(2026, 11, 1, 6, 30))).toBe(wall(2026, 11, 1, 1, 30));
    expect(ny.toInstant(wall(2026, 11, 1, 0, 59, 59))).toBe(utc(2026, 11, 1, 4, 59, 59));
    expect(ny.toInstant(wall(2026, 11, 1, 2, 0, 0))).toBe(utc(2026, 11, 1, 7));
  });
});

describe('ZoneClock: Europe/London in 2026 (GMT → BST on 29 March at 01:00 UTC; back on 25 October at 01:00 UTC)', () => {
  const london = new ZoneClock('Europe/London');
  it('reads ordinary times on either side of each change', () => {
    expect(london.toInstant(wall(2026, 3, 28, 12))).toBe(utc(2026, 3, 28, 12));
    expect(london.toInstant(wall(2026, 3, 30, 12))).toBe(utc(2026, 3, 30, 11));
    expect(london.toInstant(wall(2026, 10, 24, 12))).toBe(utc(2026, 10, 24, 11));
    expect(london.toInstant(wall(2026, 10, 26, 12))).toBe(utc(2026, 10, 26, 12));
  });
  it('spring gap: 01:30 never happens; read as GMT it lands at 02:30 BST', () => {
    expect(london.toInstant(wall(2026, 3, 29, 1, 30))).toBe(utc(2026, 3, 29, 1, 30));
    expect(london.toInstant(wall(2026, 3, 29, 0, 59, 59))).toBe(utc(2026, 3, 29, 0, 59, 59));
    expect(london.toInstant(wall(2026, 3, 29, 2, 0))).toBe(utc(2026, 3, 29, 1));
  });
  it('autumn overlap: 01:30 happens twice; the first (BST, 00:30Z) is picked', () => {
    expect(london.toInstant(wall(2026, 10, 25, 1, 30))).toBe(utc(2026, 10, 25, 0, 30));
    expect(london.toWall(utc(2026, 10, 25, 1, 30))).toBe(wall(2026, 10, 25, 1, 30));
    expect(london.toInstant(wall(2026, 10, 25, 2, 0))).toBe(utc(2026, 10, 25, 2));
  });
});

describe('ZoneClock: Asia/Kolkata never changes', () => {
  const kolkata = new ZoneClock('Asia/Kolkata');
  it('is +05:30 on the change days of other zones and all through the year', () => {
    for (const [mo, d] of [[1, 15], [3, 8], [3, 29], [6, 21], [10, 25], [11, 1], [12, 31]] as const) {
      expect(kolkata.toInstant(wall(2026, mo, d, 1, 30))).toBe(utc(2026, mo, d, 1, 30) - 330 * MIN);
      expect(kolkata.toInstant(wall(2026, mo, d, 2, 30))).toBe(utc(2026, mo, d, 2, 30) - 330 * MIN);
    }
  });
});

describe('ZoneClock round trip and offsets', () => {
  it('wall → instant → wall is exact everywhere, and instant → wall → instant only loses the second pass of an autumn hour', () => {
    const cases: [string, number, number][] = [
      ['America/New_York', utc(2026, 3, 7, 0), utc(2026, 3, 10, 0)],
      ['America/New_York', utc(2026, 10, 31, 0), utc(2026, 11, 3, 0)],
      ['Europe/London', utc(2026, 3, 28, 0), utc(2026, 3, 31, 0)],
      ['Europe/London', utc(2026, 10, 24, 0), utc(2026, 10, 27, 0)],
    ];
    for (const [zone, from, to] of cases) {
      const clock = new ZoneClock(zone);
      let secondPass = 0;
      for (let t = from; t < to; t += 5 * MIN) {
        const back = clock.toInstant(clock.toWall(t));
        if (back !== t) {
          // The same wall clock an hour earlier: the second 01:xx of the autumn change.
          expect([zone, t, back]).toEqual([zone, t, t - HOUR]);
          secondPass += 1;
        }
      }
      // Spring ranges have no repeated hour; autumn ones repeat exactly one hour (12 five-minute steps).
      expect(secondPass).toBe(new Date(from).getUTCMonth() < 6 ? 0 : 12);
    }
  });

  it('cached offsets match Intl at every quarter hour around the changes, whatever order they are asked in', () => {
    const zones = ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
    const instants: number[] = [];
    for (const day of [utc(2026, 3, 8, 0), utc(2026, 3, 29, 0), utc(2026, 4, 4, 0), utc(2026, 10, 3, 0), utc(2026, 10, 25, 0), utc(2026, 11, 1, 0)]) {
      for (let t = day - 12 * HOUR; t < day + 36 * HOUR; t += 15 * MIN) instants.push(t, t + 7 * MIN + 30_000);
    }
    // A fixed shuffle: the cache must not depend on which minute of an hour is asked first.
    const order = instants.map((t, i) => [((i * 7919) % instants.length) + t / 1e15, t] as const).sort((a, b) => a[0] - b[0]);
    for (const zone of zones) {
      const clock = new ZoneClock(zone);
      for (const [, t] of order) expect([zone, t, clock.offsetAt(t)]).toEqual([zone, t, referenceOffset(zone, t)]);
    }
  });

  it('Lord Howe moves its clocks 30 minutes at 15:30 UTC: one UTC hour holds two offsets', () => {
    const lh = new ZoneClock('Australia/Lord_Howe');
    // 4 October 2026, 02:00 at +10:30 → 02:30 at +11:00.
    expect(lh.offsetAt(utc(2026, 10, 3, 15, 29))).toBe(630 * MIN);
    expect(lh.offsetAt(utc(2026, 10, 3, 15, 31))).toBe(660 * MIN);
    expect(lh.offsetAt(utc(2026, 10, 3, 15, 0))).toBe(630 * MIN);
    expect(lh.toInstant(wall(2026, 10, 4, 2, 45))).toBe(utc(2026, 10, 3, 15, 45));
  });

  it('fixed zones need no Intl and never change', () => {
    const c = new ZoneClock('UTC-05:00');
    expect(c.toInstant(wall(2026, 7, 1, 12))).toBe(utc(2026, 7, 1, 17));
    expect(c.toInstant(wall(2026, 1, 1, 12))).toBe(utc(2026, 1, 1, 17));
    expect(zoneClock('UTC+05:30').toInstant(wall(2026, 7, 1, 12))).toBe(zoneClock('Asia/Kolkata').toInstant(wall(2026, 7, 1, 12)));
  });
});

describe('vendor strings in a zone', () => {
  const ny = zoneClock('America/New_York');
  const london = zoneClock('Europe/London');
  it('parseVendorTime reads each naive form in the zone, and leaves zoned forms alone', () => {
    expect(parseVendorTime('2026-07-01 12:00:00', ny)).toBe(utc(2026, 7, 1, 16));
    expect(parseVendorTime('2026-01-01 12:00:00', ny)).toBe(utc(2026, 1, 1, 17));
    expect(parseVendorTime('2026-11-0101:30:00', ny)).toBe(utc(2026, 11, 1, 5, 30));
    expect(parseVendorTime('2026-03-29T01:30:00.5', london)).toBe(utc(2026, 3, 29, 1, 30) + 500);
    expect(parseVendorTime('2026-07-01T12:00:00Z', ny)).toBe(utc(2026, 7, 1, 12));
    expect(parseVendorTime('2026-07-01T12:00:00+0530', ny)).toBe(utc(2026, 7, 1, 6, 30));
  });
  it('naiveWall refuses what is not a date and time', () => {
    for (const bad of ['2026-02-29 10:00:00', '2026-04-31 10:00:00', '2026-13-01 10:00:00', '2026-01-01 24:00:00', '2026-01-01 10:60:00', '2026-01-01 10:00:00.1234', '2026-01-01 10:00', '2026-01-01X10:00:00', '0099-01-01 10:00:00']) {
      expect([bad, naiveWall(bad)]).toEqual([bad, null]);
    }
    expect(naiveWall('2024-02-29 23:59:59.9')).toBe(utc(2024, 2, 29, 23, 59, 59) + 900);
  });
  it('formatCompactTimestamp writes the wall clock of the zone (Engage callBackDTS), across both changes', () => {
    expect(formatCompactTimestamp(utc(2026, 3, 8, 6, 59, 59), ny)).toBe('20260308015959');
    expect(formatCompactTimestamp(utc(2026, 3, 8, 7), ny)).toBe('20260308030000');
    expect(formatCompactTimestamp(utc(2026, 11, 1, 5, 30), ny)).toBe('20261101013000');
    expect(formatCompactTimestamp(utc(2026, 11, 1, 6, 30), ny)).toBe('20261101013000');
    expect(formatCompactTimestamp(utc(2026, 10, 25, 0, 30), london)).toBe('20261025013000');
    expect(formatCompactTimestamp(utc(2026, 3, 8, 7), zoneClock('Asia/Kolkata'))).toBe('20260308123000');
  });
});

describe('account time zones', () => {
  it('accepts IANA names Intl knows, including aliases supportedValuesOf leaves out, and fixed offsets', () => {
    for (const ok of ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'Asia/Calcutta', 'UTC', 'UTC+05:30', 'UTC-12:00', 'UTC+14:00']) {
      expect([ok, timeZoneProblem(ok)]).toEqual([ok, null]);
    }
    expect(timeZoneProblem('Mars/Olympus_Mons')).toMatch(/not a time zone this computer knows/);
    expect(timeZoneProblem('UTC+5:30')).toMatch(/UTC\+HH:MM/);
    expect(timeZoneProblem('UTC+15:00')).toMatch(/between UTC-12:00 and UTC\+14:00/);
    expect(timeZoneProblem('')).toMatch(/Enter a time zone/);
    expect(timeZoneProblem(' Europe/London')).toMatch(/not a time zone name/);
  });
  it('fixed names round-trip', () => {
    for (const m of [-720, -210, 0, 330, 345, 840]) expect(fixedOffsetMinutes(fixedZoneName(m))).toBe(m);
  });
  it('an account refuses an unknown zone with its reason, and defaults Exotel to IST and Engage Voice to this computer', () => {
    const bad = AccountConfig.safeParse({ vendor: 'exotel', id: 'x', label: 'X', accountSid: 's', timeZone: 'Europe/Atlantis' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toMatch(/"Europe\/Atlantis" is not a time zone/);
    const exotel = AccountConfig.parse({ vendor: 'exotel', id: 'x', label: 'X', accountSid: 's' });
    expect(exotel.vendor === 'exotel' && exotel.timeZone).toBe('Asia/Kolkata');
    const ev = AccountConfig.parse({ vendor: 'engage-voice', id: 'e', label: 'E', baseUrl: 'https://ringcx.ringcentral.com/voice', accountId: '1' });
    expect(ev.vendor === 'engage-voice' && ev.timeZone).toBe(hostTimeZone());
  });
});
