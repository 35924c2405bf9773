// What the tray shows and offers, computed from engine state so the Electron tray is a thin view.
import { z } from 'zod';
import { MonitorMode, type Agent, type Call, type SupervisorSession } from '../domain/model.js';

export const QuickAction = z.object({
  id: z.enum(['listen-longest', 'listen-longest-hold']),
  label: z.string(),
  callKey: z.string(),
});
export const TrayModel = z.object({
  activeCalls: z.number(),
  agentsReady: z.number(),
  agentsNotReady: z.number(),
  monitoring: z.object({ callKey: z.string(), mode: MonitorMode, label: z.string() }).nullable(),
  doNotDisturb: z.boolean(),
  quickActions: z.array(QuickAction),
  /** Labels of accounts whose data is too old to count: they are left out of everything above. */
  staleAccounts: z.array(z.string()),
  tooltip: z.string(),
});
export type TrayModel = z.infer<typeof TrayModel>;

export interface TrayInputs {
  calls: Iterable<Call>;
  agents: Iterable<Agent>;
  staleAccounts: readonly string[];
  /** The supervisor's own sessions, the one started or changed last first. */
  own: readonly SupervisorSession[];
  doNotDisturb: boolean;
  holdStartedAt: (callKey: string) => number | null;
  now: number;
}

const label = (c: Call): string => `${c.agentName ?? 'No agent'} · ${c.from ?? c.to ?? c.vendorCallId}`;
const mins = (ms: number): string => `${Math.max(0, Math.floor(ms / 60_000))} min`;

export function computeTrayModel(i: TrayInputs): TrayModel {
  let activeCalls = 0;
  let longest: Call | null = null;
  let longestHold: { call: Call; since: number } | null = null;
  const monitored = new Set(i.own.map((s) => s.callKey));
  for (const c of i.calls) {
    if (c.status === 'ended') continue;
    activeCalls += 1;
    if (monitored.has(c.key)) continue;
    if (c.status === 'in_progress' && c.startedAt !== null && (longest === null || c.startedAt < longest.startedAt!)) longest = c;
    const since = c.onHold ? i.holdStartedAt(c.key) : null;
    if (since !== null && (longestHold === null || since < longestHold.since)) longestHold = { call: c, since };
  }
  let ready = 0;
  let notReady = 0;
  for (const a of i.agents) {
    if (a.state === 'ready') ready += 1;
    else if (a.state === 'not_ready') notReady += 1;
  }
  const quickActions: TrayModel['quickActions'] = [];
  if (longest) quickActions.push({ id: 'listen-longest', label: `Listen to the longest call (${mins(i.now - longest.startedAt!)}, ${label(longest)})`, callKey: longest.key });
  if (longestHold) quickActions.push({ id: 'listen-longest-hold', label: `Listen to the call on hold longest (${mins(i.now - longestHold.since)}, ${label(longestHold.call)})`, callKey: longestHold.call.key });
  const own = i.own[0];
  const callsById = own ? [...i.calls].find((c) => c.key === own.callKey) : undefined;
  const monitoring = own ? { callKey: own.callKey, mode: own.mode, label: callsById ? label(callsById) : own.callKey } : null;
  return {
    activeCalls,
    agentsReady: ready,
    agentsNotReady: notReady,
    monitoring,
    doNotDisturb: i.doNotDisturb,
    quickActions,
    staleAccounts: [...i.staleAccounts],
    tooltip: `Switchboard — ${activeCalls} calls, ${ready} ready, ${notReady} not ready${stalePart(i.staleAccounts)}${monitoring ? ` — ${monitoring.mode} on ${monitoring.label}` : ''}${i.doNotDisturb ? ' — do not disturb' : ''}`,
  };
}

function stalePart(labels: readonly string[]): string {
  return labels.length ? ` (not counting ${labels.join(', ')}: data stale)` : '';
}
