// What the store holds for one secret: its value and the hosts it was entered for, in one entry, so
// the binding can never drift from the value it guards (and survives a restart with it).
const MARK = 'switchboard.secret/1';

export interface SecretRecord {
  value: string;
  /** credentialHosts() at the time it was entered; null for a value stored before binding existed. */
  boundTo: string | null;
}

export function encodeRecord(r: { value: string; boundTo: string }): string {
  return JSON.stringify({ kind: MARK, boundTo: r.boundTo, value: r.value });
}

/** Any stored string: a record, or a bare value written before secrets were bound to hosts. */
export function decodeRecord(stored: string): SecretRecord {
  if (stored.startsWith('{')) {
    try {
      const o = JSON.parse(stored) as unknown;
      if (o && typeof o === 'object') {
        const r = o as Record<string, unknown>;
        if (r.kind === MARK && typeof r.value === 'string' && typeof r.boundTo === 'string') return { value: r.value, boundTo: r.boundTo };
      }
    } catch {
      // Not a record: a bare value that happens to start with a brace.
    }
  }
  return { value: stored, boundTo: null };
}
