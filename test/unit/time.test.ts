import { describe, expect, it } from 'vitest';
import { formatCompactTimestamp, parseVendorTime, zoneClock } from '../../main/vendors/shared/time.js';

describe('parseVendorTime', () => {
  const at = Date.UTC(2020, 11, 22, 17, 57, 40);
  it.each([
    ['2020-12-22T17:57:40.000Z', at],
    ['2020-12-22 17:57:40', at],
    ['2020-12-2217:57:40', at],
    [String(at), at],
    [at, at],
    ['1608659860', at],
  ])('reads %s', (input, expected) => {
    expect(parseVendorTime(input)).toBe(expected);
  });
  it('applies the zone only to zone-less forms', () => {
    expect(parseVendorTime('2020-12-22 17:57:40', zoneClock('Asia/Kolkata'))).toBe(at - 330 * 60_000);
    expect(parseVendorTime('2020-12-22T17:57:40Z', zoneClock('Asia/Kolkata'))).toBe(at);
  });
  it.each(['', 'yesterday', '2020-13-45', '2020-02-30 10:00:00', null, {}, '12345'])('refuses %s', (input) => {
    expect(parseVendorTime(input)).toBeNull();
  });
  it('formats callBackDTS', () => {
    expect(formatCompactTimestamp(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('20260102030405');
  });
});
