// Engage Voice wire rows → the domain model. Every quirk of the documents is handled here: ids as
// numbers or strings, nulls and empty strings, dnisE164 vs dnis, several timestamp forms, open-ended
// state names, and the call list having no agent id (calls are joined to agents on the uii).
import type { Agent, AgentState, Call, CallStatus, Direction, MonitorMode } from '../../domain/model.js';
import { agentKey, callKey } from '../../domain/model.js';
import { digitsAt, formatCompactTimestamp, parseVendorTime, type ZoneClock } from '../shared/time.js';
import type { EvActiveCall, EvAgent, EvSessionType } from './types.js';

export interface NormaliseContext {
  accountId: string;
  /** The account's zone, which zone-less timestamps are read in. */
  zone: ZoneClock;
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

/** First and last name joined by a space; either may be missing; neither → null. */
function joinName(first: unknown, last: unknown): string | null {
  const f = text(first);
  const l = text(last);
  return f === null ? l : l === null ? f : `${f} ${l}`;
}

/**
 * The documents never give the time format. The vendor's examples use ISO with a `+0000` offset;
 * ISO with Z, naive and epoch forms are accepted too, all through parseVendorTime. The vendor's
 * own forms are read directly first (every call row has one, every poll): same result, no regexes.
 */
export function vendorTime(v: unknown, ctx: Pick<NormaliseContext, 'zone'>): number | null {
  if (typeof v !== 'string') return parseVendorTime(v, ctx.zone);
  const s = v.trim();
  const fast = isoWithZone(s);
  return fast !== null ? fast : parseVendorTime(s, ctx.zone);
}

/**
 * `yyyy-MM-ddTHH:mm:ss[.SSS]` with `Z`, `±HHmm` or `±HH:mm`, every field in its ordinary range: the
 * epoch ms that parseVendorTime (Date.parse) gives for it. Anything else, including the edge cases
 * Date.parse treats specially (years before 100, 24:00, out-of-range fields), → null: the caller then
 * takes the general path, so the result is the same either way (test/unit/engage-voice-normalise.test.ts
 * compares the two over generated strings).
 */
export function isoWithZone(s: string): number | null {
  const len = s.length;
  if (len < 20 || len > 29 || s.charCodeAt(10) !== 84 /* T */) return null;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null;
  const y = digitsAt(s, 0, 4);
  const mo = digitsAt(s, 5, 2);
  const d = digitsAt(s, 8, 2);
  const h = digitsAt(s, 11, 2);
  const mi = digitsAt(s, 14, 2);
  const se = digitsAt(s, 17, 2);
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return null;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46 /* . */) {
    ms = digitsAt(s, i + 1, 3);
    if (ms < 0) return null;
    i += 4;
  }
  const zone = s.charCodeAt(i);
  let offset = 0;
  if (zone === 90 /* Z */) {
    if (len !== i + 1) return null;
  } else if (zone === 43 || zone === 45 /* + - */) {
    const colon = len === i + 6 && s.charCodeAt(i + 3) === 58;
    if (len !== i + 5 && !colon) return null;
    const oh = digitsAt(s, i + 1, 2);
    const om = digitsAt(s, colon ? i + 4 : i + 3, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return null;
    offset = (zone === 43 ? 1 : -1) * (oh * 60 + om) * 60_000;
  } else return null;
  return Date.UTC(y, mo - 1, d, h, mi, se, ms) - offset;
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

/** The names exactly as listed (the vendor's usual spelling): read without trimming or case folding. */
const CALL_STATUS_EXACT = new Map(Object.entries(CALL_STATUS));
const SEPARATORS = /[\s-]/g;

/** Only `ACTIVE` is shown by the vendor; other names are mapped where unambiguous, the rest are 'unknown'. */
export function callStatus(state: unknown): CallStatus {
  const exact = typeof state === 'string' ? CALL_STATUS_EXACT.get(state) : undefined;
  if (exact !== undefined) return exact;
  const key = text(state)?.toUpperCase().replace(SEPARATORS, '_');
  return (key && CALL_STATUS[key]) || 'unknown';
}

const AGENT_STATE: Record<string, AgentState> = {
  AVAILABLE: 'ready',
  ON_CALL: 'on_call',
  AWAY: 'not_ready',
  WRAP_UP: 'wrap_up',
};
const AGENT_STATE_EXACT = new Map(Object.entries(AGENT_STATE));

export function agentState(row: Pick<EvAgent, 'agentState' | 'pendingDisposition'>): AgentState {
  // An agent owing a disposition is in wrap-up whatever its state string says (released by dispositionCall).
  if (flag(row.pendingDisposition) === true) return 'wrap_up';
  const exact = typeof row.agentState === 'string' ? AGENT_STATE_EXACT.get(row.agentState) : undefined;
  if (exact !== undefined) return exact;
  const key = text(row.agentState)?.toUpperCase().replace(SEPARATORS, '_');
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
  const gate = present(agent.gateId);
  const campaign = present(agent.campaignId);
  if (gate && !campaign) return 'inbound';
  if (campaign && !gate) return 'outbound';
  return 'unknown';
}

/** text(v) !== null, without making the string (gate and campaign ids arrive as numbers). */
function present(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  return typeof v === 'string' && v.trim() !== '';
}

/** A call without a uii cannot be acted on, so it is left out (null). */
export function normaliseCall(row: EvActiveCall, agent: EvAgent | undefined, ctx: NormaliseContext): Call | null {
  const uii = text(row.uii);
  return uii === null ? null : callOf(row, uii, agent, ctx);
}

function callOf(row: EvActiveCall, uii: string, agent: EvAgent | undefined, ctx: NormaliseContext): Call {
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
    if (uii !== null) out.push(callOf(r, uii, byUii.get(uii), ctx));
  }
  return out;
}

const SESSION_TYPE: Record<MonitorMode, EvSessionType> = { listen: 'MONITOR', whisper: 'COACHING', barge: 'BARGEIN' };
export function sessionTypeFor(mode: MonitorMode): EvSessionType {
  return SESSION_TYPE[mode];
}

/** callBackDTS is yyyyMMddHHmmss in the account's wall-clock zone (configurable: the docs give no zone). */
export function callbackDts(iso: string, zone: ZoneClock): string | null {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : formatCompactTimestamp(at, zone);
}
