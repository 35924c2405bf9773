// Vendor timestamps arrive in several forms; this turns each documented one into epoch ms. Forms
// without a zone are wall-clock times in the account's time zone, read with a ZoneClock so they
// stay right across daylight-saving changes. Everything here runs per row of a poll, so strings
// are read character by character, never with regular expressions.
import { fixedOffsetMinutes } from '../../domain/time-zone.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Beyond this many cached hours a zone starts its cache again (a clock reading live data needs a few). */
const MAX_CACHED_HOURS = 20_000;

/**
 * Wall-clock time in one zone. "Wall" values are the local date and time written as if they were
 * UTC (Date.UTC of the fields), so converting is adding or subtracting the zone's offset at the
 * right instant.
 */
export class ZoneClock {
  private readonly fixedMs: number | null;
  private readonly format: Intl.DateTimeFormat | null;
  /** Offset (ms) per UTC hour, NaN for an hour with a change inside it. */
  private readonly hours = new Map<number, number>();

  constructor(readonly zone: string) {
    const fixed = fixedOffsetMinutes(zone);
    this.fixedMs = fixed === null ? null : fixed * MINUTE;
    // h23: some engines write midnight as 24 with hour12 off.
    this.format =
      fixed === null
        ? new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
        : null;
  }

  /**
   * The zone's offset from UTC (ms) at an instant. Intl is slow, so offsets are cached per UTC
   * hour: an hour whose first and last second agree has one offset throughout (zones change at
   * most twice a year); an hour with a change inside it is worked out for each instant.
   */
  offsetAt(utcMs: number): number {
    if (this.fixedMs !== null) return this.fixedMs;
    const hour = Math.floor(utcMs / HOUR);
    const cached = this.hours.get(hour);
    if (cached !== undefined) return Number.isNaN(cached) ? this.exactOffset(utcMs) : cached;
    if (this.hours.size >= MAX_CACHED_HOURS) this.hours.clear();
    const first = this.exactOffset(hour * HOUR);
    const last = this.exactOffset(hour * HOUR + HOUR - 1000);
    this.hours.set(hour, first === last ? first : NaN);
    return first === last ? first : this.exactOffset(utcMs);
  }

  /** The wall clock at an instant. */
  toWall(utcMs: number): number {
    return utcMs + this.offsetAt(utcMs);
  }

  /**
   * The instant a wall clock shows. Twice a year that is not one instant:
   * - autumn overlap (clocks go back, 01:30 happens twice): the earlier instant, read with the offset
   *   in force before the change. It is the first time the clock showed it, and what java.time,
   *   Temporal ('compatible') and RFC 5545 pick, so a vendor formatting with any of them round-trips.
   * - spring gap (clocks go forward, 02:30 never happens): also read with the offset before the
   *   change, so 02:30 lands where 03:30 is (the same rule as Temporal's 'compatible'); the time
   *   is kept rather than refused, since the vendor did send it.
   * The offset in force a day earlier is the one before any change near `wall` (changes are months apart).
   */
  toInstant(wall: number): number {
    if (this.fixedMs !== null) return wall - this.fixedMs;
    const before = this.offsetAt(wall - DAY);
    const early = wall - before;
    const atEarly = this.offsetAt(early);
    if (atEarly === before) return early;
    const late = wall - atEarly;
    return this.offsetAt(late) === atEarly ? late : early;
  }

  private exactOffset(utcMs: number): number {
    const at = Math.floor(utcMs / 1000) * 1000;
    let y = 0;
    let mo = 0;
    let d = 0;
    let h = 0;
    let mi = 0;
    let s = 0;
    for (const p of this.format!.formatToParts(at)) {
      if (p.type === 'year') y = Number(p.value);
      else if (p.type === 'month') mo = Number(p.value);
      else if (p.type === 'day') d = Number(p.value);
      else if (p.type === 'hour') h = Number(p.value);
      else if (p.type === 'minute') mi = Number(p.value);
      else if (p.type === 'second') s = Number(p.value);
    }
    return Date.UTC(y, mo - 1, d, h, mi, s) - at;
  }
}

const clocks = new Map<string, ZoneClock>();

/** The shared clock of a zone (its offset cache serves every account in that zone). */
export function zoneClock(zone: string): ZoneClock {
  let c = clocks.get(zone);
  if (!c) {
    c = new ZoneClock(zone);
    clocks.set(zone, c);
  }
  return c;
}

export const UTC_CLOCK = zoneClock('UTC');

/** The value of ASCII digits s[i..i+n), or -1 if any is not a digit. */
export function digitsAt(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function allDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
  }
  return s.length > 0;
}

/**
 * `yyyy-MM-dd HH:mm:ss`, with a `T` or nothing between date and time, and up to three digits of
 * fraction: the wall clock it names (as if UTC), or null. Every field must be in range and the day
 * must exist in its month (2020-02-30 is not a date).
 */
export function naiveWall(s: string): number | null {
  const len = s.length;
  if (len < 18 || s.charCodeAt(4) !== 45 /* - */ || s.charCodeAt(7) !== 45) return null;
  const sep = s.charCodeAt(10);
  const t = sep === 32 /* space */ || sep === 84 /* T */ ? 11 : 10;
  if (s.charCodeAt(t + 2) !== 58 /* : */ || s.charCodeAt(t + 5) !== 58) return null;
  const end = t + 8;
  let ms = 0;
  if (len !== end) {
    const digits = len - end - 1;
    if (s.charCodeAt(end) !== 46 /* . */ || digits < 1 || digits > 3) return null;
    const frac = digitsAt(s, end + 1, digits);
    if (frac < 0) return null;
    ms = digits === 1 ? frac * 100 : digits === 2 ? frac * 10 : frac;
  }
  const y = digitsAt(s, 0, 4);
  const mo = digitsAt(s, 5, 2);
  const d = digitsAt(s, 8, 2);
  const h = digitsAt(s, t, 2);
  const mi = digitsAt(s, t + 3, 2);
  const se = digitsAt(s, t + 6, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, se, ms);
  // Date.UTC reads years 0..99 as 1900..1999; no vendor writes those, so they are not dates.
  return y < 100 ? null : wall;
}

function daysIn(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/** `yyyy-MM-ddT…`: the start of an ISO 8601 date-time, left to Date.parse. */
function isoStart(s: string): boolean {
  return s.length > 11 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(10) === 84 && digitsAt(s, 0, 4) >= 0 && digitsAt(s, 5, 2) >= 0 && digitsAt(s, 8, 2) >= 0;
}

/**
 * Accepts: ISO 8601 with zone ("2024-06-15T10:30:00.000Z"), naive "2020-12-22 17:31:06", Exotel's
 * run-together "2020-12-2217:57:40", epoch-millisecond strings or numbers ("1416817899000"), and
 * epoch seconds (10 digits). Naive forms are wall-clock times in `zone` (UTC when not given).
 * Returns null for anything else, so a bad vendor date never becomes a wrong one.
 */
export function parseVendorTime(value: unknown, zone: ZoneClock = UTC_CLOCK): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? (value < 1e11 ? value * 1000 : value) : null;
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (s === '') return null;
  if (allDigits(s)) {
    if (s.length === 10) return Number(s) * 1000;
    return s.length >= 12 && s.length <= 14 ? Number(s) : null;
  }
  const wall = naiveWall(s);
  if (wall !== null) return zone.toInstant(wall);
  if (isoStart(s)) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

/** yyyyMMddHHmmss of the wall clock in `zone` at an instant (Engage Voice callBackDTS). */
export function formatCompactTimestamp(ms: number, zone: ZoneClock = UTC_CLOCK): string {
  const d = new Date(zone.toWall(ms));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}
