// Pure functions from Exotel's wire shapes to the domain model. Every quirk of the two documents is
// handled here: date forms, PhoneNumber vs EndUserNumber, null agent_details, missing ids, and
// direction/status values beyond the documented ones (→ 'unknown', never a throw).
import type { CallDetail } from '../connector.js';
import {
  agentKey,
  callKey,
  type Agent,
  type AgentState,
  type Call,
  type CallStatus,
  type Direction,
  type Leg,
  type LegRole,
  type MonitorMode,
  type SupervisorSession,
} from '../../domain/model.js';
import { parseVendorTime, type ZoneClock } from '../shared/time.js';
import { MONITOR_ACTIONS, type V1Leg, type V3ActiveCall, type V3Stream, type V3StreamLeg } from './types.js';

/**
 * v1 dates carry no zone ("2020-12-22 17:31:06"). Exotel reports account-local time, which is IST
 * for its Indian accounts [unconfirmed]: Asia/Kolkata is the account default (main/domain/account.ts),
 * and an account in another zone sets its own.
 */
export const DEFAULT_V1_TIME_ZONE = 'Asia/Kolkata';

/** The call fields the v1 rules need; a listed Call has them all. */
export type CallRef = Pick<Call, 'key' | 'accountId' | 'direction' | 'from' | 'to'>;

export function v1Time(value: string | null | undefined, zone: ZoneClock): number | null {
  // Both "2020-12-22 17:31:06" and the run-together "2020-12-2217:57:40" of the POST/PUT samples.
  return parseVendorTime(value, zone);
}

export function normaliseDirection(raw: string | null | undefined): Direction {
  const d = (raw ?? '').toLowerCase();
  if (d === 'inbound' || d === 'incoming') return 'inbound';
  // "outbound-api" (the v3 sample), "outbound-dial", plain "outbound".
  if (d === 'outbound' || d.startsWith('outbound-')) return 'outbound';
  return 'unknown';
}

const CALL_STATUS: Record<string, CallStatus> = {
  queued: 'queued',
  ringing: 'ringing',
  'in-progress': 'in_progress',
  'on-hold': 'on_hold',
  completed: 'ended',
  failed: 'ended',
  busy: 'ended',
  'no-answer': 'ended',
  canceled: 'ended',
};
export function normaliseCallStatus(raw: string | null | undefined): CallStatus {
  return CALL_STATUS[(raw ?? '').toLowerCase()] ?? 'unknown';
}

const AGENT_STATE: Record<string, AgentState> = {
  'on-call': 'on_call',
  busy: 'on_call',
  available: 'ready',
  'wrap-up': 'wrap_up',
  offline: 'logged_off',
};
export function normaliseAgentState(raw: string | null | undefined): AgentState {
  return AGENT_STATE[(raw ?? '').toLowerCase()] ?? 'unknown';
}

/** Numbers appear as +91..., 0..., or bare; the last ten digits identify a subscriber. */
export function sameNumber(a: string | null | undefined, b: string | null | undefined): boolean {
  const da = (a ?? '').replace(/\D/g, '');
  const db = (b ?? '').replace(/\D/g, '');
  return da.length >= 3 && db.length >= 3 && da.slice(-10) === db.slice(-10);
}

export function normaliseActiveCall(accountId: string, w: V3ActiveCall): Call | null {
  if (!w.call_sid) return null;
  const agent = w.agent_details ?? null;
  return {
    key: callKey(accountId, w.call_sid),
    accountId,
    vendor: 'exotel',
    vendorCallId: w.call_sid,
    direction: normaliseDirection(w.direction),
    status: normaliseCallStatus(w.status),
    from: w.from ?? null,
    to: w.to ?? null,
    agentKey: agent?.user_id ? agentKey(accountId, agent.user_id) : null,
    agentName: agent?.name ?? null,
    queue: null,
    startedAt: parseVendorTime(w.start_time),
    // The list says nothing of hold or mute; the stream detail does.
    onHold: null,
    muted: null,
    recording: w.recording_enabled ?? null,
    legs: null,
    bridge: null,
    sessions: [],
  };
}

/** Calls without a call_sid are dropped; a call seen twice (it moved between pages) counts once. */
export function normaliseActiveCalls(accountId: string, rows: readonly V3ActiveCall[]): Call[] {
  const out = new Map<string, Call>();
  for (const row of rows) {
    const call = normaliseActiveCall(accountId, row);
    if (call && !out.has(call.key)) out.set(call.key, call);
  }
  return [...out.values()];
}

/** Exotel has no agent list here: the agents are those named on active calls, once each. */
export function agentsFromActiveCalls(accountId: string, rows: readonly V3ActiveCall[]): Agent[] {
  const out = new Map<string, Agent>();
  for (const row of rows) {
    const a = row.agent_details;
    if (!a?.user_id || !row.call_sid || out.has(a.user_id)) continue;
    const state = normaliseAgentState(a.status);
    out.set(a.user_id, {
      key: agentKey(accountId, a.user_id),
      accountId,
      vendor: 'exotel',
      loginId: a.user_id,
      name: a.name ?? a.user_id,
      state,
      reason: null,
      since: state === 'on_call' ? parseVendorTime(row.start_time) : null,
      currentCallKey: callKey(accountId, row.call_sid),
      service: null,
    });
  }
  return [...out.values()];
}

// ---------------------------------------------------------------- v1 legs

/** Monitor legs show EndUserNumber where call legs show PhoneNumber. */
export function legNumber(leg: V1Leg): string | null {
  return leg.PhoneNumber || leg.EndUserNumber || null;
}

export function isMonitorLeg(leg: V1Leg): boolean {
  return (leg.Origin ?? '').toLowerCase() === 'monitor';
}

export function monitorModeOf(lastAction: string | null | undefined): MonitorMode | null {
  const a = (lastAction ?? '').toLowerCase();
  return (MONITOR_ACTIONS as readonly string[]).includes(a) ? (a as MonitorMode) : null;
}

/** The customer's number: the caller on inbound calls, the called party on outbound ones. */
export function customerNumber(call: Pick<Call, 'direction' | 'from' | 'to'>): string | null {
  if (call.direction === 'inbound') return call.from;
  if (call.direction === 'outbound') return call.to;
  return null;
}

/**
 * Which leg is the agent's (the monitor leg's TargetLegSid). ActiveLegs does not say, so:
 * 1. among the non-monitor legs, the only one whose number is not the customer's (inbound: `from`,
 *    outbound: `to` — Exotel's outbound API dials From, the agent, first);
 * 2. else by Origin: on an inbound call the agent was dialled out ('outbound-dial'); on an outbound
 *    call the agent is the first leg Exotel dialled ('outbound'), the customer the 'outbound-dial' one;
 * 3. else none: the connector refuses rather than whisper to the customer.
 */
export function pickAgentLeg(legs: readonly V1Leg[], call: Pick<Call, 'direction' | 'from' | 'to'>): V1Leg | null {
  const candidates = legs.filter((l) => l.Sid && !isMonitorLeg(l));
  const customer = customerNumber(call);
  if (customer) {
    const others = candidates.filter((l) => !sameNumber(legNumber(l), customer));
    if (others.length === 1) return others[0]!;
  }
  const origin = call.direction === 'inbound' ? 'outbound-dial' : call.direction === 'outbound' ? 'outbound' : null;
  const byOrigin = candidates.filter((l) => (l.Origin ?? '').toLowerCase() === origin);
  return byOrigin.length === 1 ? byOrigin[0]! : null;
}

function legFromV1(leg: V1Leg & { Sid: string }, role: LegRole, zone: ZoneClock): Leg {
  return {
    id: leg.Sid,
    role,
    number: legNumber(leg),
    status: leg.Status || 'unknown',
    muted: null,
    onHold: null,
    monitorMode: role === 'monitor' ? monitorModeOf(leg.LastAction) : null,
    startedAt: v1Time(leg.StartTime, zone) ?? v1Time(leg.DateCreated, zone),
  };
}

function hasSid<T extends { Sid?: string | null | undefined }>(l: T): l is T & { Sid: string } {
  return typeof l.Sid === 'string' && l.Sid !== '';
}

/** A monitor leg as a session; own is false here, the engine marks the ones it started. */
export function sessionFromLeg(
  call: CallRef,
  leg: V1Leg,
  own: boolean,
  now: number,
  zone: ZoneClock,
  fallbackMode: MonitorMode | null = null,
): SupervisorSession | null {
  const mode = monitorModeOf(leg.LastAction) ?? fallbackMode;
  if (!leg.Sid || !mode) return null;
  return {
    callKey: call.key,
    accountId: call.accountId,
    mode,
    handle: leg.Sid,
    startedAt: v1Time(leg.StartTime, zone) ?? v1Time(leg.DateCreated, zone) ?? now,
    own,
  };
}

/** true if any is true, false if all are known false, null when nothing is known. */
function anyFlag(values: readonly (boolean | null)[]): boolean | null {
  if (values.some((v) => v === true)) return true;
  return values.length > 0 && values.every((v) => v === false) ? false : null;
}

/**
 * One call's detail from both APIs: agent and customer legs (with hold/mute) from the v3 stream,
 * monitor legs from v1 ActiveLegs (the stream does not show them). When the stream lists no legs,
 * the v1 call legs stand in.
 */
export function normaliseDetail(call: CallRef, stream: V3Stream, v1Legs: readonly V1Leg[], now: number, zone: ZoneClock): CallDetail {
  const monitors = v1Legs.filter(isMonitorLeg).filter(hasSid);
  const monitorSids = new Set(monitors.map((l) => l.Sid));
  const agentLeg = pickAgentLeg(v1Legs, call);
  const customer = customerNumber(call);
  const roleOf = (sid: string, number: string | null): LegRole => {
    if (customer && sameNumber(number, customer)) return 'customer';
    if (agentLeg && (sid === agentLeg.Sid || sameNumber(number, legNumber(agentLeg)))) return 'agent';
    return 'other';
  };
  const fromStream = (l: V3StreamLeg & { leg_sid: string }): Leg => ({
    id: l.leg_sid,
    role: roleOf(l.leg_sid, l.contact_uri ?? null),
    number: l.contact_uri ?? null,
    status: l.status || 'unknown',
    muted: l.audio_status?.muted ?? null,
    onHold: l.audio_status?.hold ?? null,
    monitorMode: null,
    startedAt: null,
  });
  const streamLegs = (stream.legs ?? [])
    .filter((l): l is V3StreamLeg & { leg_sid: string } => !!l.leg_sid && !monitorSids.has(l.leg_sid))
    .map(fromStream);
  const callLegs =
    streamLegs.length > 0
      ? streamLegs
      : v1Legs
          .filter((l) => !isMonitorLeg(l))
          .filter(hasSid)
          .map((l) => legFromV1(l, roleOf(l.Sid, legNumber(l)), zone));
  const b = stream.bridge;
  return {
    legs: [...callLegs, ...monitors.map((l) => legFromV1(l, 'monitor', zone))],
    bridge: b?.bridge_sid ? { id: b.bridge_sid, status: b.status || 'unknown', createdAt: parseVendorTime(b.created_at) } : null,
    recording: stream.recording?.enabled ?? null,
    onHold: anyFlag(streamLegs.map((l) => l.onHold)),
    muted: anyFlag(streamLegs.map((l) => l.muted)),
    sessions: monitors
      .map((l) => sessionFromLeg(call, l, false, now, zone))
      .filter((s): s is SupervisorSession => s !== null),
  };
}
