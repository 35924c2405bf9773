// Audian wire → domain model. Every documented quirk is resolved here and nowhere else: Kazoo
// envelopes around documented bare bodies, field names that differ between pages, booleans sent
// as strings, gregorian-second timestamps, missing ids, unknown status words.
import { SwitchboardError } from '../../domain/errors.js';
import { callKey, type Call, type CallStatus, type Direction, type Leg, type LegRole } from '../../domain/model.js';
import type { ActionOutcome, CallDetail } from '../connector.js';
import { parseVendorTime } from '../shared/time.js';
import { GREGORIAN_UNIX_OFFSET_SEC, type CallStatusResponse, type Channel, type ChannelsResponse, type MaybeWrapped, type WebhookEvent } from './types.js';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/**
 * The documents show bare bodies; the platform (Kazoo, NOTES.md) wraps them as {data, status,
 * request_id, auth_token}. A body is an envelope when its `data` is an object and it lacks the
 * documented identifying field (a bare call-action body always carries `call_id`).
 */
export function unwrap(body: unknown, idField = 'call_id'): Rec | undefined {
  if (!isRec(body)) return undefined;
  if (isRec(body.data) && !(idField in body)) return body.data;
  return body;
}


/** Audian times: ISO 8601 in the document; Kazoo gregorian seconds in channel lists; epoch forms elsewhere. */
export function audianTime(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{11}$/.test(value.trim()) ? Number(value) : NaN;
  // 11-digit seconds are far past 2100 as Unix time but 1970..3000 as gregorian time.
  if (n >= GREGORIAN_UNIX_OFFSET_SEC && n < 1e11) return (n - GREGORIAN_UNIX_OFFSET_SEC) * 1000;
  return parseVendorTime(value);
}

/** `answered` is a boolean in the reference and "true"/"false" on older pages. */
function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

function direction(value: unknown): Direction {
  return value === 'inbound' || value === 'outbound' ? value : 'unknown';
}

const STATUS: Record<string, CallStatus> = {
  queued: 'queued',
  initiated: 'ringing',
  ringing: 'ringing',
  early: 'ringing',
  answered: 'in_progress',
  in_progress: 'in_progress',
  active: 'in_progress',
  resumed: 'in_progress',
  transferred: 'in_progress',
  held: 'on_hold',
  on_hold: 'on_hold',
  completed: 'ended',
  ended: 'ended',
  hungup: 'ended',
};

/** A status word; the call-status response keeps `status: answered` and reports hold in `on_hold`. */
export function callStatus(word: unknown, onHold: boolean | null = null): CallStatus {
  const s = typeof word === 'string' ? (STATUS[word.toLowerCase()] ?? 'unknown') : 'unknown';
  return onHold === true && s === 'in_progress' ? 'on_hold' : s;
}

/** The channel list: a bare array (NOTES.md) or a Kazoo envelope around it. */
export function channelsOf(body: ChannelsResponse | unknown): Channel[] {
  if (Array.isArray(body)) return body.filter(isRec) as Channel[];
  if (isRec(body) && Array.isArray(body.data)) return body.data.filter(isRec) as Channel[];
  throw new SwitchboardError('bad_response', 'Audian sent a channel list without a list of channels.');
}

export function channelToCall(accountId: string, ch: Channel): Call | null {
  // The call-action paths use call_id; a channel without one is addressed by its uuid.
  const id = str(ch.call_id) ?? str(ch.uuid);
  if (id === null) return null;
  const answered = bool(ch.answered);
  return {
    key: callKey(accountId, id),
    accountId,
    vendor: 'audian',
    vendorCallId: id,
    direction: direction(ch.direction),
    status: answered === null ? 'unknown' : answered ? 'in_progress' : 'ringing',
    // Field names vary between pages: caller_id_number / from, callee_id_number / to / destination.
    from: str(ch.caller_id_number) ?? str(ch.from),
    to: str(ch.callee_id_number) ?? str(ch.to) ?? str(ch.destination),
    agentKey: null,
    agentName: null,
    queue: null,
    startedAt: audianTime(ch.timestamp),
    onHold: null,
    muted: null,
    recording: null,
    legs: null,
    bridge: null,
    sessions: [],
  };
}

/** One Call per call id: Kazoo may list a call's channels more than once. */
export function channelsToCalls(accountId: string, body: ChannelsResponse | unknown): Call[] {
  const seen = new Set<string>();
  const out: Call[] = [];
  for (const ch of channelsOf(body)) {
    const call = channelToCall(accountId, ch);
    if (!call || seen.has(call.vendorCallId)) continue;
    seen.add(call.vendorCallId);
    out.push(call);
  }
  return out;
}

function partyRoles(dir: Direction): [LegRole, LegRole] {
  if (dir === 'inbound') return ['customer', 'agent'];
  if (dir === 'outbound') return ['agent', 'customer'];
  return ['other', 'other'];
}

/**
 * GET /v2/calls/{id} has no legs or conference list: the two parties become legs (roles from the
 * call's direction) and the sessions Switchboard already knows are kept, since Audian cannot list them.
 */
export function callStatusToDetail(body: MaybeWrapped<CallStatusResponse> | unknown, call: Call): CallDetail {
  const rec = unwrap(body);
  if (!rec || str(rec.call_id) === null) throw new SwitchboardError('bad_response', 'Audian sent a call status without a call id.');
  const onHold = bool(rec.on_hold);
  const muted = bool(rec.muted);
  const status = typeof rec.status === 'string' ? rec.status : 'unknown';
  const startedAt = audianTime(rec.answered_at) ?? audianTime(rec.initiated_at);
  const [fromRole, toRole] = partyRoles(call.direction);
  const leg = (suffix: string, role: LegRole, number: string | null): Leg => ({
    id: `${call.vendorCallId}:${suffix}`,
    role,
    number,
    status,
    muted: null,
    onHold,
    monitorMode: null,
    startedAt,
  });
  const legs: Leg[] = [];
  const from = str(rec.from);
  const to = str(rec.to);
  if (from !== null) legs.push(leg('from', fromRole, from));
  if (to !== null) legs.push(leg('to', toRole, to));
  return { legs, bridge: null, recording: bool(rec.recording_active), onHold, muted, sessions: call.sessions };
}

/** What an action response says changed: hold/resume/hangup in `status`, mute/unmute in `muted`. */
export function actionOutcome(body: unknown, detail: string): ActionOutcome {
  const rec = unwrap(body) ?? {};
  const patch: NonNullable<ActionOutcome['callPatch']> = {};
  if (typeof rec.status === 'string') {
    const s = callStatus(rec.status);
    if (s !== 'unknown') patch.status = s;
    if (rec.status === 'held') patch.onHold = true;
    if (rec.status === 'resumed') patch.onHold = false;
  }
  const muted = bool(rec.muted);
  if (muted !== null) patch.muted = muted;
  return Object.keys(patch).length ? { detail, callPatch: patch } : { detail };
}

/** gather-dtmf → digits_collected (a string in the document; a number would lose leading zeros but is accepted). */
export function gatheredDigits(body: unknown): string {
  const rec = unwrap(body);
  const d = rec?.digits_collected;
  if (typeof d === 'string') return d;
  if (typeof d === 'number' && Number.isInteger(d)) return String(d);
  throw new SwitchboardError('bad_response', 'Audian answered the DTMF gather without the digits collected.');
}

export interface ConferenceInfo {
  conferenceId: string;
  participants: string[];
}
export function conferenceInfo(body: unknown): ConferenceInfo {
  const rec = unwrap(body);
  const id = str(rec?.conference_id);
  if (id === null) throw new SwitchboardError('bad_response', 'Audian answered the conference request without a conference id.');
  const list = Array.isArray(rec?.participants) ? rec.participants : [];
  return { conferenceId: id, participants: list.filter((p): p is string => typeof p === 'string') };
}

/**
 * Applies a webhook event to a call (the desktop app polls, but the events are part of the
 * document). Events for another call and unknown events leave the call as it was.
 */
export function applyWebhookEvent(call: Call, event: WebhookEvent): Call {
  const data = isRec(event.data) ? event.data : {};
  const id = str(data.call_id);
  if (id !== null && id !== call.vendorCallId) return call;
  switch (event.event) {
    case 'call.held':
      return { ...call, onHold: true, status: 'on_hold' };
    case 'call.resumed':
      return { ...call, onHold: false, status: 'in_progress' };
    case 'call.muted':
      return { ...call, muted: true };
    case 'call.unmuted':
      return { ...call, muted: false };
    case 'call.transferred':
      // The transfer response names the new party transfer_to; the request calls it destination.
      return { ...call, to: str(data.transfer_to) ?? str(data.destination) ?? call.to, status: 'in_progress', onHold: false };
    case 'call.completed':
      return { ...call, status: 'ended' };
    default:
      // ivr.input_received carries digits, not call state; anything else is not ours to guess.
      return call;
  }
}
