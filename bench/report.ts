// What every benchmark prints alongside its figures: the machine's load (timings on a shared
// 2-core machine mean little without it), medians, and a plain verdict against each target.
import { readFileSync } from 'node:fs';

export const loadavg = (): string => {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
};
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
/** The value at or below which a share `p` (0..1) of the figures fall, nearest rank. */
export const percentile = (xs: number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
};
