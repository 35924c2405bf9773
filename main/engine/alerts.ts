// What deserves a supervisor's attention: agent state changes (from agent diffs) and call or agent
// conditions that have lasted too long (from the thresholds in settings).
import { z } from 'zod';
import type { Agent, Call } from '../domain/model.js';
import type { AlertThresholds } from '../../preload/contract.js';

export const ALERT_KINDS = [
  'agent.notReady',
  'agent.loggedOff',
  'agent.ready',
  'agent.tookCall',
  'call.long',
  'call.longHold',
  'call.longRinging',
  'agent.longNotReady',
] as const;
export const AlertKind = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKind>;

export const Alert = z.object({
  id: z.string(),
  kind: AlertKind,
  accountId: z.string(),
  callKey: z.string().nullable(),
  agentKey: z.string().nullable(),
  title: z.string(),
  body: z.string(),
  at: z.number(),
});
export type Alert = z.infer<typeof Alert>;

/** The typed event for an agent's state change, or null when nothing a supervisor cares about changed. */
export function agentStateAlert(prev: Agent | undefined, next: Agent, at: number): Alert | null {
  if (!prev || prev.state === next.state) return null;
  const base = { accountId: next.accountId, agentKey: next.key, callKey: null, at };
  switch (next.state) {
    case 'not_ready':
      return { ...base, id: `agent.notReady:${next.key}:${at}`, kind: 'agent.notReady', title: `${next.name} went not ready`, body: next.reason ? `Reason: ${next.reason}` : 'No reason given' };
    case 'logged_off':
      return { ...base, id: `agent.loggedOff:${next.key}:${at}`, kind: 'agent.loggedOff', title: `${next.name} logged off`, body: `Was ${prev.state.replace('_', ' ')}` };
    case 'ready':
      return { ...base, id: `agent.ready:${next.key}:${at}`, kind: 'agent.ready', title: `${next.name} is ready again`, body: `Was ${prev.state.replace('_', ' ')}` };
    case 'on_call':
      return { ...base, callKey: next.currentCallKey, id: `agent.tookCall:${next.key}:${at}`, kind: 'agent.tookCall', title: `${next.name} took a call`, body: next.service ? `Service: ${next.service}` : '' };
    default:
      return null;
  }
}

const fmt = (sec: number): string => (sec >= 60 ? `${Math.floor(sec / 60)} min ${sec % 60} s` : `${sec} s`);

/**
 * Duration rules. Each fires once per call or agent and condition, and again only after the
 * condition has cleared (a call taken off hold and put back on hold is a new hold).
 */
export class DurationRules {
  private readonly fired = new Set<string>();
  private readonly holdSince = new Map<string, number>();
  private readonly ringSince = new Map<string, number>();
  private readonly notReadySince = new Map<string, number>();

  /** When the call went on hold, as far as the engine has seen. */
  holdStartedAt(callKey: string): number | null {
    return this.holdSince.get(callKey) ?? null;
  }

  /**
   * `paused` accounts (stale data) keep what the rules know of them, so nothing fires twice or
   * restarts its clock when their data returns, but raise nothing while paused.
   */
  evaluate(calls: Iterable<Call>, agents: Iterable<Agent>, t: AlertThresholds, now: number, paused: (accountId: string) => boolean = () => false): Alert[] {
    const out: Alert[] = [];
    const live = new Set<string>();
    let accountPaused = false;
    const check = (key: string, active: boolean, since: number | null, limitSec: number, make: (sec: number) => Alert): void => {
      live.add(key);
      if (accountPaused) return;
      if (!active || since === null) {
        this.fired.delete(key);
        return;
      }
      const sec = Math.floor((now - since) / 1000);
      if (sec >= limitSec && !this.fired.has(key)) {
        this.fired.add(key);
        out.push(make(sec));
      }
    };
    for (const c of calls) {
      accountPaused = paused(c.accountId);
      const who = c.agentName ?? c.from ?? c.vendorCallId;
      const base = { accountId: c.accountId, callKey: c.key, agentKey: c.agentKey, at: now };
      const talking = c.status === 'in_progress' || c.status === 'on_hold';
      check(`long:${c.key}`, talking, c.startedAt, t.callLongerThanSec, (s) => ({ ...base, id: `call.long:${c.key}:${now}`, kind: 'call.long', title: `Long call: ${who}`, body: `On the call for ${fmt(s)}` }));
      check(`hold:${c.key}`, c.onHold === true, track(this.holdSince, c.key, c.onHold === true, now), t.holdLongerThanSec, (s) => ({ ...base, id: `call.longHold:${c.key}:${now}`, kind: 'call.longHold', title: `Caller on hold: ${who}`, body: `On hold for ${fmt(s)}` }));
      const ringing = c.status === 'ringing' || c.status === 'queued';
      check(`ring:${c.key}`, ringing, track(this.ringSince, c.key, ringing, c.startedAt ?? now), t.ringingLongerThanSec, (s) => ({ ...base, id: `call.longRinging:${c.key}:${now}`, kind: 'call.longRinging', title: `Unanswered call from ${c.from ?? 'unknown'}`, body: `Waiting for ${fmt(s)}` }));
    }
    for (const a of agents) {
      accountPaused = paused(a.accountId);
      const notReady = a.state === 'not_ready';
      check(`nr:${a.key}`, notReady, track(this.notReadySince, a.key, notReady, a.since ?? now), t.notReadyLongerThanSec, (s) => ({ id: `agent.longNotReady:${a.key}:${now}`, kind: 'agent.longNotReady', accountId: a.accountId, callKey: null, agentKey: a.key, at: now, title: `${a.name} not ready for ${fmt(s)}`, body: a.reason ? `Reason: ${a.reason}` : 'No reason given' }));
    }
    for (const k of this.fired) if (!live.has(k)) this.fired.delete(k);
    prune(this.holdSince, live, 'hold:');
    prune(this.ringSince, live, 'ring:');
    prune(this.notReadySince, live, 'nr:');
    return out;
  }
}

/** When a condition started: kept while it holds, dropped when it clears. */
function track(map: Map<string, number>, key: string, active: boolean, startAt: number): number | null {
  if (!active) {
    map.delete(key);
    return null;
  }
  const since = map.get(key);
  if (since !== undefined) return since;
  map.set(key, startAt);
  return startAt;
}

function prune(map: Map<string, number>, live: Set<string>, prefix: string): void {
  for (const k of map.keys()) if (!live.has(prefix + k)) map.delete(k);
}
