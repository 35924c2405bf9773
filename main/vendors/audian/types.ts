// Audian wire types, as audian-call-actions.txt and the Audian section of NOTES.md show them.
// Responses are typed loosely where the documents disagree (field names, envelopes, date forms);
// normalise.ts is the one place those variants are resolved.

/** Kazoo convention (NOTES.md): responses may arrive wrapped as {data, status, request_id, auth_token}. */
export interface AudianEnvelope<T> {
  data: T;
  status?: string;
  request_id?: string;
  auth_token?: string;
  revision?: string;
}

/** A response the documents show bare while the platform may wrap it: accept both. */
export type MaybeWrapped<T> = T | AudianEnvelope<T>;

// ---- auth (NOTES.md) ----
export interface AuthRequest {
  data: { api_key: string };
}
export interface AuthResponse {
  auth_token: string;
  data: { account_id: string; [extra: string]: unknown };
  status?: string;
  request_id?: string;
}

/** Kazoo's clock counts gregorian seconds (since year 0); they start this far before 1970. */
export const GREGORIAN_UNIX_OFFSET_SEC = 62_167_219_200;

// ---- live calls (NOTES.md: GET /v2/accounts/{account_id}/channels; "fields vary between pages") ----
export interface Channel {
  uuid?: string;
  call_id?: string;
  caller_id_number?: string;
  callee_id_number?: string;
  /** Some pages name the parties like the call-status response does. */
  from?: string;
  to?: string;
  /** Kazoo's name for the dialled number. */
  destination?: string;
  direction?: string;
  /** Boolean in the reference; older pages show "true"/"false" strings. */
  answered?: boolean | string;
  /** Kazoo gregorian seconds, epoch seconds/ms or ISO 8601. */
  timestamp?: number | string;
  [extra: string]: unknown;
}
export type ChannelsResponse = Channel[] | AudianEnvelope<Channel[]>;

// ---- call status: GET /v2/calls/{id} ----
export interface CallStatusResponse {
  call_id: string;
  status: string;
  duration?: number;
  from?: string;
  to?: string;
  muted?: boolean;
  on_hold?: boolean;
  recording_active?: boolean;
  initiated_at?: string | number;
  answered_at?: string | number | null;
}

// ---- actions: POST /v2/calls/{id}/<action> ----
export type TransferType = 'blind' | 'attended';
export interface TransferRequest {
  destination: string;
  caller_id?: string;
  /** Table: optional, blind by default. */
  transfer_type?: TransferType;
  /** Only in the attended example, not in the table. */
  hold_original?: boolean;
}
export interface TransferResponse {
  call_id: string;
  status: string;
  transfer_from?: string;
  transfer_to?: string;
  transferred_at?: string;
}

export interface HoldRequest {
  hold_music?: string;
}
export interface HoldResponse {
  call_id: string;
  status: string;
  held_at?: string;
}
export interface ResumeResponse {
  call_id: string;
  status: string;
  resumed_at?: string;
}
export interface MuteResponse {
  call_id: string;
  muted: boolean;
  muted_at?: string;
  unmuted_at?: string;
}

export type PlayParticipant = 'caller' | 'callee' | 'both';
export interface PlayAudioRequest {
  audio_url?: string;
  /** Text-to-speech, the alternative to audio_url. */
  message?: string;
  /** Only in the text-to-speech example, not in the table. */
  language?: string;
  participant?: PlayParticipant;
  interrupt?: boolean;
}

export interface HangupResponse {
  call_id: string;
  status: string;
  ended_at?: string;
}

export interface GatherDtmfRequest {
  prompt?: string;
  max_digits?: number;
  timeout?: number;
  finish_key?: string;
  language?: string;
}
export interface GatherDtmfResponse {
  call_id: string;
  digits_collected: string;
  input_type?: string;
}

export interface SendDtmfRequest {
  digits: string;
  duration?: number;
  pause_between?: number;
}

export interface ConferenceRequest {
  participant: string;
}
export interface ConferenceResponse {
  call_id: string;
  conference_id: string;
  participants: string[];
}

/**
 * Play-audio, send-dtmf and participant removal have no documented response: any JSON object (or
 * an empty body) is success.
 */
export type UndocumentedResponse = Record<string, unknown> | undefined;

// ---- errors ----
/** Call-action errors: {error: not_found|invalid_state|transfer_failed, message, code}. */
export interface ActionErrorBody {
  error: string;
  message?: string;
  code?: number;
}
/** Auth errors (Kazoo): {"error":"401","message":"unauthorized","status":"error"}. */
export interface KazooErrorBody {
  error: string;
  message?: string;
  status?: string;
}

// ---- webhooks ----
export const WEBHOOK_EVENTS = [
  'call.held',
  'call.resumed',
  'call.muted',
  'call.unmuted',
  'call.transferred',
  'call.completed',
  'ivr.input_received',
] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];
export interface WebhookEvent {
  /** One of WEBHOOK_EVENTS; anything else is ignored. */
  event: string;
  data: {
    call_id?: string;
    [field: string]: unknown;
  };
}
