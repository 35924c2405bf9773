// Turns a stream of alerts into the notifications a supervisor can bear: nothing in do-not-disturb
// or for switched-off kinds, alerts of one kind arriving together grouped into one, and at most a
// few notifications a minute, the overflow folded into a single summary.
import type { NotificationPrefs } from '../../preload/contract.js';
import type { Alert, AlertKind } from './alerts.js';

export interface Notice {
  title: string;
  body: string;
  /** What a click focuses: the one call or agent, or nothing for a group. */
  callKey: string | null;
  agentKey: string | null;
  kinds: AlertKind[];
  count: number;
}

const AGENT_KINDS: readonly AlertKind[] = ['agent.notReady', 'agent.loggedOff', 'agent.ready', 'agent.tookCall'];

export interface NotifyLimits {
  /** Alerts arriving within this window are considered together. */
  groupWindowMs: number;
  /** At most this many notices per minute; the rest are summarised. */
  perMinute: number;
}

export const DEFAULT_NOTIFY_LIMITS: NotifyLimits = { groupWindowMs: 2_000, perMinute: 6 };

export class NotifyPolicy {
  private pending: Alert[] = [];
  private readonly shown: number[] = [];
  private suppressed = 0;

  constructor(private readonly limits: NotifyLimits = DEFAULT_NOTIFY_LIMITS) {}

  /** Queue alerts the preferences allow; nothing is shown until flush(). */
  offer(alerts: readonly Alert[], prefs: NotificationPrefs): void {
    for (const a of alerts) if (wanted(a, prefs)) this.pending.push(a);
  }

  /**
   * Call on a timer: returns the notices to show now. The preferences are read again here, so
   * alerts still waiting in the grouping window when do-not-disturb goes on are never shown.
   */
  flush(now: number, prefs: NotificationPrefs): Notice[] {
    this.pending = this.pending.filter((a) => wanted(a, prefs));
    if (!prefs.enabled || prefs.doNotDisturb) this.suppressed = 0;
    const ready = this.pending.filter((a) => now - a.at >= this.limits.groupWindowMs || this.pending.length > 50);
    if (ready.length === 0) return this.summaryIfDue(now);
    this.pending = this.pending.filter((a) => !ready.includes(a));
    const byKind = new Map<AlertKind, Alert[]>();
    for (const a of ready) byKind.set(a.kind, [...(byKind.get(a.kind) ?? []), a]);
    const notices: Notice[] = [];
    for (const [kind, group] of byKind) {
      const notice = group.length === 1 ? single(group[0]!) : grouped(kind, group);
      if (this.allow(now)) notices.push(notice);
      else this.suppressed += notice.count;
    }
    return [...notices, ...this.summaryIfDue(now)];
  }

  private allow(now: number): boolean {
    while (this.shown.length && this.shown[0]! <= now - 60_000) this.shown.shift();
    if (this.shown.length >= this.limits.perMinute) return false;
    this.shown.push(now);
    return true;
  }

  private summaryIfDue(now: number): Notice[] {
    if (this.suppressed === 0 || !this.allow(now)) return [];
    const n = this.suppressed;
    this.suppressed = 0;
    return [{ title: `${n} more alert${n === 1 ? '' : 's'}`, body: 'Open Switchboard to see them all.', callKey: null, agentKey: null, kinds: [], count: n }];
  }
}

function wanted(a: Alert, prefs: NotificationPrefs): boolean {
  if (!prefs.enabled || prefs.doNotDisturb) return false;
  return AGENT_KINDS.includes(a.kind) ? prefs.agentStateChanges : prefs.callAlerts;
}

function single(a: Alert): Notice {
  return { title: a.title, body: a.body, callKey: a.callKey, agentKey: a.agentKey, kinds: [a.kind], count: 1 };
}

const GROUP_TITLES: Record<AlertKind, string> = {
  'agent.notReady': 'agents went not ready',
  'agent.loggedOff': 'agents logged off',
  'agent.ready': 'agents are ready again',
  'agent.tookCall': 'agents took calls',
  'call.long': 'long calls',
  'call.longHold': 'callers on hold too long',
  'call.longRinging': 'calls waiting to be answered',
  'agent.longNotReady': 'agents not ready too long',
};

function grouped(kind: AlertKind, alerts: Alert[]): Notice {
  const names = alerts.slice(0, 4).map((a) => a.title.replace(/ (went|logged|is|took|not ready).*$/, '').replace(/^[^:]+: /, ''));
  const more = alerts.length > 4 ? ` and ${alerts.length - 4} more` : '';
  return { title: `${alerts.length} ${GROUP_TITLES[kind]}`, body: names.join(', ') + more, callKey: null, agentKey: null, kinds: [kind], count: alerts.length };
}
