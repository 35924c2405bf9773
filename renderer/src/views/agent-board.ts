// Pure helpers for the Agent board: labels, durations, filtering, sorting, range selection and
// which bulk actions the selection's accounts allow. No Svelte, so unit tests run them in Node.
import type { Agent, AgentState } from '../../../main/domain/model.js';
import type { Capability, CapabilityName } from '../../../main/domain/actions.js';
import { NOT_READY_REASONS, type NotReadyReason } from '../../../main/domain/reasons.js';

export const STATE_LABEL: Record<AgentState, string> = {
  ready: 'Ready',
  not_ready: 'Not ready',
  on_call: 'On call',
  wrap_up: 'Wrap up',
  logged_off: 'Logged off',
  unknown: 'Unknown',
};

/** The badge class (app.css) each state wears. */
export const STATE_TONE: Record<AgentState, string> = {
  ready: 'ok',
  not_ready: 'warn',
  on_call: 'listen',
  wrap_up: 'whisper',
  logged_off: 'off',
  unknown: 'off',
};

export const AGENT_STATES = Object.keys(STATE_LABEL) as AgentState[];

export const REASON_LABEL: Record<NotReadyReason, string> = {
  BREAK: 'Break',
  LUNCH: 'Lunch',
  MEETING: 'Meeting',
  OTHER: 'Other',
  TECH_DIFFICULTIES: 'Tech difficulties',
  TRAINING: 'Training',
};

export const VENDOR_LABEL: Record<Agent['vendor'], string> = {
  'engage-voice': 'Engage Voice',
  exotel: 'Exotel',
  audian: 'Audian',
  livevox: 'LiveVox',
};

/** A vendor's reason code in words where it is one of ours; anything else exactly as sent. */
export function reasonLabel(reason: string | null): string | null {
  if (reason === null || reason.trim() === '') return null;
  return (NOT_READY_REASONS as readonly string[]).includes(reason) ? REASON_LABEL[reason as NotReadyReason] : reason;
}

/** 0:07, 12:34, 1:02:03. Negative spans (clock skew) count as zero; unknown is an en dash. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '–';
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export interface AgentFilter {
  text: string;
  accountId: string | null;
  state: AgentState | null;
}

export const EMPTY_FILTER: AgentFilter = { text: '', accountId: null, state: null };

/** Text matches name, login id, account label, service and reason, case-insensitively; every word must match. */
export function matchesFilter(agent: Agent, filter: AgentFilter, accountLabel: string): boolean {
  if (filter.accountId !== null && agent.accountId !== filter.accountId) return false;
  if (filter.state !== null && agent.state !== filter.state) return false;
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [agent.name, agent.loginId, accountLabel, VENDOR_LABEL[agent.vendor], agent.service ?? '', reasonLabel(agent.reason) ?? '', STATE_LABEL[agent.state]]
    .join('\u0000')
    .toLowerCase();
  return words.every((w) => hay.includes(w));
}

export type SortColumn = 'account' | 'name' | 'loginId' | 'state' | 'time' | 'call' | 'service';
export interface AgentSort {
  column: SortColumn;
  descending: boolean;
}

const STATE_ORDER: Record<AgentState, number> = { on_call: 0, wrap_up: 1, ready: 2, not_ready: 3, logged_off: 4, unknown: 5 };
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function compareNullable(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return collator.compare(a, b);
}

/**
 * Sorted copy. Time in state sorts by `since` (longest in state first when ascending), so the
 * order does not shuffle as the clock ticks; unknowns sort last either way.
 */
export function sortAgents(agents: readonly Agent[], sort: AgentSort, accountLabel: (accountId: string) => string): Agent[] {
  const dir = sort.descending ? -1 : 1;
  const cmp = (a: Agent, b: Agent): number => {
    switch (sort.column) {
      case 'account':
        return collator.compare(accountLabel(a.accountId), accountLabel(b.accountId));
      case 'name':
        return collator.compare(a.name, b.name);
      case 'loginId':
        return collator.compare(a.loginId, b.loginId);
      case 'state':
        return STATE_ORDER[a.state] - STATE_ORDER[b.state] || compareNullable(a.reason, b.reason);
      case 'time':
        if (a.since === b.since) return 0;
        if (a.since === null) return 1 * dir; // keeps unknowns last after the flip below
        if (b.since === null) return -1 * dir;
        return a.since - b.since;
      case 'call':
        return compareNullable(a.currentCallKey, b.currentCallKey);
      case 'service':
        return compareNullable(a.service, b.service);
    }
  };
  return [...agents].sort((a, b) => cmp(a, b) * dir || collator.compare(a.name, b.name) || collator.compare(a.key, b.key));
}

/** The keys between anchor and target (inclusive) in the visible order; just the target if the anchor is gone. */
export function rangeKeys(visible: readonly string[], anchor: string | null, target: string): string[] {
  const to = visible.indexOf(target);
  const from = anchor === null ? -1 : visible.indexOf(anchor);
  if (to < 0) return [];
  if (from < 0) return [target];
  const [lo, hi] = from < to ? [from, to] : [to, from];
  return visible.slice(lo, hi + 1);
}

export interface Availability {
  /** Agents whose account can do it. */
  allowed: string[];
  /** Per account that cannot: its label, the vendor's reason and how many selected agents it holds. */
  refused: { accountId: string; label: string; reason: string; count: number }[];
}

/** Splits the selection by whether each agent's account has the capability. */
export function availability(
  agents: readonly Agent[],
  capability: (accountId: string, name: CapabilityName) => Capability,
  name: CapabilityName,
  accountLabel: (accountId: string) => string,
): Availability {
  const allowed: string[] = [];
  const refused = new Map<string, { accountId: string; label: string; reason: string; count: number }>();
  for (const a of agents) {
    const cap = capability(a.accountId, name);
    if (cap.supported) allowed.push(a.key);
    else {
      const r = refused.get(a.accountId);
      if (r) r.count += 1;
      else refused.set(a.accountId, { accountId: a.accountId, label: accountLabel(a.accountId), reason: cap.reason, count: 1 });
    }
  }
  return { allowed, refused: [...refused.values()] };
}

/** One line for a tooltip or a note: why (some of) the selection cannot take the action. */
export function refusalText(av: Availability): string | null {
  if (av.refused.length === 0) return null;
  return av.refused.map((r) => `${r.label}: ${r.reason}`).join('\n');
}

/** The LiveVox and contract service id form: digits only. Anything else cannot be sent. */
export function isServiceId(id: string): boolean {
  return /^[0-9]{1,12}$/.test(id);
}
