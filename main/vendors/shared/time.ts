// Vendor timestamps arrive in several forms; this turns each documented one into epoch ms.

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[ T]?(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;

/**
 * Accepts: ISO 8601 with zone ("2024-06-15T10:30:00.000Z"), naive "2020-12-22 17:31:06", Exotel's
 * run-together "2020-12-2217:57:40", epoch-millisecond strings or numbers ("1416817899000"), and
 * epoch seconds (10 digits). Naive forms are read at `naiveOffsetMinutes` from UTC.
 * Returns null for anything else, so a bad vendor date never becomes a wrong one.
 */
export function parseVendorTime(value: unknown, naiveOffsetMinutes = 0): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? (value < 1e11 ? value * 1000 : value) : null;
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (s === '') return null;
  if (/^\d{10}$/.test(s)) return Number(s) * 1000;
  if (/^\d{12,14}$/.test(s)) return Number(s);
  const m = NAIVE.exec(s);
  if (m) {
    const [, y, mo, d, h, mi, se, ms] = m;
    const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se), Number((ms ?? '0').padEnd(3, '0')));
    const back = new Date(utc);
    // Date.UTC rolls 2020-13-45 over into 2021; a date that does not round-trip is not a date.
    if (Number.isNaN(utc) || back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d)) return null;
    return utc - naiveOffsetMinutes * 60_000;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(s)) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

/** Engage Voice callBackDTS: yyyyMMddHHmmss. */
export function formatCompactTimestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}
