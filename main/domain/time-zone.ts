// An account's time zone: the zone a vendor writes its zone-less times in. Either an IANA name
// (America/New_York: follows daylight saving) or a fixed offset written "UTC", "UTC+05:30",
// "UTC-03:00" (what settings from before time zones held, as minutes east of UTC). No zod here:
// the renderer's account form checks a zone with the same function as the schema.

/** Minutes east of UTC of a fixed zone ("UTC", "UTC±HH:MM"), or null when `name` is not one. */
export function fixedOffsetMinutes(name: string): number | null {
  if (name === 'UTC') return 0;
  if (name.length !== 9 || !name.startsWith('UTC') || name.charCodeAt(6) !== 58 /* : */) return null;
  const sign = name.charCodeAt(3) === 43 /* + */ ? 1 : name.charCodeAt(3) === 45 /* - */ ? -1 : 0;
  const h = twoDigits(name, 4);
  const m = twoDigits(name, 7);
  if (sign === 0 || h < 0 || m < 0 || m > 59) return null;
  const minutes = sign * (h * 60 + m);
  // The offsets in use run from UTC-12:00 to UTC+14:00.
  return minutes < -720 || minutes > 840 ? null : minutes;
}

/** The fixed-zone name for minutes east of UTC: 330 → "UTC+05:30", 0 → "UTC". */
export function fixedZoneName(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `UTC${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a < 0 || a > 9 || b < 0 || b > 9 ? -1 : a * 10 + b;
}

/**
 * Why `name` cannot be used as a time zone, or null when it can. IANA names are checked against
 * what this runtime's Intl knows: Intl.supportedValuesOf('timeZone') lists only canonical ids (on
 * Node 20 and older Chromium that is Asia/Calcutta, not Asia/Kolkata, and no UTC at all), so a name
 * Intl.DateTimeFormat accepts is valid too, which takes in every alias tzdata keeps.
 */
export function timeZoneProblem(name: string): string | null {
  if (name.trim() === '') return 'Enter a time zone, such as America/New_York or UTC+05:30.';
  if (name !== name.trim() || name.length > 64) return `"${name.trim().slice(0, 64)}" is not a time zone name.`;
  if (fixedOffsetMinutes(name) !== null) return null;
  if (name.startsWith('UTC+') || name.startsWith('UTC-')) return `"${name}" is not a fixed offset: write it as UTC+HH:MM, between UTC-12:00 and UTC+14:00.`;
  if (supportedZones().has(name)) return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return null;
  } catch {
    return `"${name}" is not a time zone this computer knows: use an IANA name such as Europe/London, or a fixed offset such as UTC+05:30.`;
  }
}

let supported: ReadonlySet<string> | null = null;
function supportedZones(): ReadonlySet<string> {
  supported ??= new Set(Intl.supportedValuesOf('timeZone'));
  return supported;
}

/** The zone this computer is set to (the default for a vendor that does not say), else UTC. */
export function hostTimeZone(): string {
  const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return typeof zone === 'string' && timeZoneProblem(zone) === null ? zone : 'UTC';
}
