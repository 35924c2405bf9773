// Engage Voice wire rows → the domain model. Every quirk of the documents is handled here: ids as
// numbers or strings, nulls and empty strings, dnisE164 vs dnis, several timestamp forms, open-ended
// state names, and the call list having no agent id (calls are joined to agents on the uii).
import type { Agent, AgentState, Call, CallStatus, Direction, MonitorMode } from '../../domain/model.js';
import { agentKey, callKey } from '../../domain/model.js';
import { formatCompactTimestamp, parseVendorTime } from '../shared/time.js';
import type { EvActiveCall, EvAgent, EvSessionType } from './types.js';

export interface NormaliseContext {
  accountId: string;
  /** Offset from UTC (minutes) for zone-less timestamps. */
  naiveOffsetMinutes: number;
  /** Epoch ms now, for "seconds in state" values. */
  now: number;
}

/** A trimmed non-empty string, or null (the vendor sends null, "" and numbers for the same fields). */
export function text(v: unknown): string | null {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return null;
  const s = v.trim();
  return s === '' ? null : s;
}

/** Booleans arrive as true/false or "true"/"false". */
export function flag(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return null;
}

function joinName(first: unknown, last: unknown): string | null {
  const name = [text(first), text(last)].filter((p) => p !== null).join(' ');
  return name === '' ? null : name;
}

/**
 * The documents never give the time format. The vendor's examples use ISO with a `+0000` offset;
 * ISO with Z, naive and epoch forms are accepted too, all through parseVendorTime.
 */
export function vendorTime(v: unknown, ctx: Pick<NormaliseContext, 'naiveOffsetMinutes'>): number | null {
  return parseVendorTime(typeof v === 'string' ? v.trim() : v, ctx.naiveOffsetMinutes);
}

const CALL_STATUS: Record<string, CallStatus> = {
  ACTIVE: 'in_progress',
  CONNECTED: 'in_progress',
  TALKING: 'in_progress',
  QUEUED: 'queued',
  ENQUEUED: 'queued',
  RINGING: 'ringing',
  DIALING: 'ringing',
  HOLD: 'on_hold',
  ON_HOLD: 'on_hold',
  WRAP_UP: 'wrap_up',
  ENDED: 'ended',
  TERMINATED: 'ended',
};

/** Only `ACTIVE` is shown by the vendor; other names are mapped where unambiguous, the rest are 'unknown'. */
export function callStatus(state: unknown): CallStatus {
  const key = text(state)?.toUpperCase().replace(/[\s-]/g, '_');
  return (key && CALL_STATUS[key]) || 'unknown';
}

const AGENT_STATE: Record<string, AgentState> = {
  AVAILABLE: 'ready',
  ON_CALL: 'on_call',
  AWAY: 'not_ready',
  WRAP_UP: 'wrap_up',
};

export function agentState(row: Pick<EvAgent, 'agentState' | 'pendingDisposition'>): AgentState {
  // An agent owing a disposition is in wrap-up whatever its state string says (released by dispositionCall).
  if (flag(row.pendingDisposition) === true) return 'wrap_up';
  const key = text(row.agentState)?.toUpperCase().replace(/[\s-]/g, '_');
  return (key && AGENT_STATE[key]) || 'unknown';
}

/**
 * The agent's login id for Switchboard: `username` first, because createManualAgentCall takes the
 * username; `agentLoginId` and `agentId` stand in when it is missing. No id at all → null.
 */
export function agentLogin(row: EvAgent): string | null {
  return text(row.username) ?? text(row.agentLoginId) ?? text(row.agentId);
}

/**
 * stateTime is undocumented beyond its name: a timestamp in any vendor form, or (when it is too small
 * to be one) seconds spent in the state, counted back from lastUpdate or now. [unconfirmed]
 */
export function stateSince(row: Pick<EvAgent, 'stateTime' | 'lastUpdate'>, ctx: NormaliseContext): number | null {
  const raw = typeof row.stateTime === 'string' ? row.stateTime.trim() : row.stateTime;
  const secs = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : null;
  if (secs !== null && secs < 1e9) return (vendorTime(row.lastUpdate, ctx) ?? ctx.now) - secs * 1000;
  return vendorTime(raw, ctx);
}

export function normaliseAgent(row: EvAgent, ctx: NormaliseContext): Agent | null {
  const loginId = agentLogin(row);
  if (loginId === null) return null;
  const state = agentState(row);
  const uii = text(row.callUii);
  return {
    key: agentKey(ctx.accountId, loginId),
    accountId: ctx.accountId,
    vendor: 'engage-voice',
    loginId,
    name: joinName(row.firstName, row.lastName) ?? loginId,
    state,
    // Unknown states keep the vendor's word so the supervisor still reads something meaningful.
    reason: state === 'unknown' ? text(row.agentState) : null,
    since: stateSince(row, ctx),
    currentCallKey: uii === null ? null : callKey(ctx.accountId, uii),
    service: text(row.gateId) ?? text(row.campaignId),
  };
}

export function normaliseAgents(rows: EvAgent[], ctx: NormaliseContext): Agent[] {
  const out: Agent[] = [];
  for (const r of rows) {
    const a = normaliseAgent(r, ctx);
    if (a) out.push(a);
  }
  return out;
}

/** The list has no direction; the agent's gate (inbound queue) or campaign (outbound) tells it. */
function directionOf(agent: EvAgent | undefined): Direction {
  if (!agent) return 'unknown';
  const gate = text(agent.gateId);
  const campaign = text(agent.campaignId);
  if (gate !== null && campaign === null) return 'inbound';
  if (campaign !== null && gate === null) return 'outbound';
  return 'unknown';
}

/** A call without a uii cannot be acted on, so it is left out (null). */
export function normaliseCall(row: EvActiveCall, agent: EvAgent | undefined, ctx: NormaliseContext): Call | null {
  const uii = text(row.uii);
  if (uii === null) return null;
  const status = callStatus(row.callState);
  const login = agent ? agentLogin(agent) : null;
  return {
    key: callKey(ctx.accountId, uii),
    accountId: ctx.accountId,
    vendor: 'engage-voice',
    vendorCallId: uii,
    direction: directionOf(agent),
    status,
    from: text(row.ani),
    // dnisE164 is the newer field; older hosts send only dnis.
    to: text(row.dnisE164) ?? text(row.dnis),
    agentKey: login === null ? null : agentKey(ctx.accountId, login),
    agentName: joinName(row.agentFirstName, row.agentLastName) ?? (agent ? joinName(agent.firstName, agent.lastName) : null),
    queue: text(row.destinationName),
    startedAt: vendorTime(row.enqueueTime, ctx) ?? vendorTime(row.dequeueTime, ctx),
    onHold: status === 'on_hold' ? true : status === 'in_progress' ? false : null,
    muted: null,
    recording: flag(row.archive),
    // Engage has no per-call legs endpoint; legs stay unknown until (never) fetched.
    legs: null,
    bridge: null,
    sessions: [],
  };
}

/** Joins calls to agents on uii in one pass each (the lists can hold thousands). */
export function normaliseCalls(rows: EvActiveCall[], agents: EvAgent[], ctx: NormaliseContext): Call[] {
  const byUii = new Map<string, EvAgent>();
  for (const a of agents) {
    const uii = text(a.callUii);
    if (uii !== null) byUii.set(uii, a);
  }
  const out: Call[] = [];
  for (const r of rows) {
    const uii = text(r.uii);
    const c = uii === null ? null : normaliseCall(r, byUii.get(uii), ctx);
    if (c) out.push(c);
  }
  return out;
}

const SESSION_TYPE: Record<MonitorMode, EvSessionType> = { listen: 'MONITOR', whisper: 'COACHING', barge: 'BARGEIN' };
export function sessionTypeFor(mode: MonitorMode): EvSessionType {
  return SESSION_TYPE[mode];
}

/** callBackDTS is yyyyMMddHHmmss in the account's wall-clock zone (configurable: the docs give no zone). */
export function callbackDts(iso: string, offsetMinutes: number): string | null {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : formatCompactTimestamp(at + offsetMinutes * 60_000);
}
