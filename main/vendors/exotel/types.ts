// Exotel wire types, as the two documents show them. Schemas so the client can refuse a body that is
// not the documented shape (bad_response) and the types come from the same source. Fields are
// nullable/optional where a real body may leave them out; normalise.ts decides what absence means.
import { z } from 'zod';

/** v1 bodies come as XML (every value a string) or JSON (numbers may be numbers): read both as text. */
const Text = z.union([z.string(), z.number()]).transform((v) => String(v));
const OptText = Text.nullish();

// ---------------------------------------------------------------- v3: active calls and streams

export const V3_DIRECTION_FILTERS = ['inbound', 'outbound'] as const;
export type V3DirectionFilter = (typeof V3_DIRECTION_FILTERS)[number];

/** Query of GET /v3/accounts/<sid>/calls/active: every documented parameter, all optional. */
export interface V3ActiveCallsQuery {
  agent_id?: string;
  direction?: V3DirectionFilter;
  /** Documented default 20. */
  limit?: number;
  offset?: number;
}
export const V3_ACTIVE_CALLS_QUERY_FIELDS = ['agent_id', 'direction', 'limit', 'offset'] as const;

export const V3AgentDetails = z.object({ user_id: OptText, name: OptText, status: OptText });
export type V3AgentDetails = z.infer<typeof V3AgentDetails>;

export const V3ActiveCall = z.object({
  call_sid: OptText,
  /** "inbound", "outbound-api", ... (the filter says inbound/outbound; the rows say more). */
  direction: OptText,
  status: OptText,
  from: OptText,
  to: OptText,
  start_time: z.union([z.string(), z.number()]).nullish(),
  duration: z.number().nullish(),
  /** null while nobody has answered (the document's second example). */
  agent_details: V3AgentDetails.nullish(),
  recording_enabled: z.boolean().nullish(),
});
export type V3ActiveCall = z.infer<typeof V3ActiveCall>;

export const V3ActiveCallsPage = z.object({
  active_calls: z.array(V3ActiveCall),
  total_active: z.number().nullish(),
});
export type V3ActiveCallsPage = z.infer<typeof V3ActiveCallsPage>;

export const V3StreamLeg = z.object({
  leg_sid: OptText,
  contact_uri: OptText,
  direction: OptText,
  status: OptText,
  network_type: OptText,
  audio_status: z.object({ muted: z.boolean().nullish(), hold: z.boolean().nullish() }).nullish(),
});
export type V3StreamLeg = z.infer<typeof V3StreamLeg>;

export const V3Bridge = z.object({ bridge_sid: OptText, status: OptText, created_at: z.union([z.string(), z.number()]).nullish() });
export type V3Bridge = z.infer<typeof V3Bridge>;

export const V3Stream = z.object({
  call_sid: OptText,
  status: OptText,
  duration: z.number().nullish(),
  legs: z.array(V3StreamLeg).nullish(),
  bridge: V3Bridge.nullish(),
  recording: z.object({ enabled: z.boolean().nullish(), channels: OptText, duration: z.number().nullish() }).nullish(),
});
export type V3Stream = z.infer<typeof V3Stream>;
export const V3StreamResponse = z.object({ stream: V3Stream });

/** Every v3 answer is wrapped: {request_id, method, http_code, response}. */
export function v3Envelope<T extends z.ZodType>(inner: T) {
  return z.object({ request_id: OptText, method: OptText, http_code: z.number().nullish(), response: inner });
}

/**
 * v3 error body. The document shows none; Exotel's wider v2/v3 APIs answer the same envelope with
 * `response: {code, status: "failure", error_data: {code, message, description}}` [unconfirmed].
 */
export interface V3ErrorBody {
  request_id: string;
  method: string;
  http_code: number;
  response: { code: number; status: 'failure'; error_data: { code: number; message: string; description: string }; data: null };
}

// ---------------------------------------------------------------- v1: Listen / Whisper / Barge legs

export const MONITOR_ACTIONS = ['listen', 'whisper', 'barge'] as const;
export type V1MonitorAction = (typeof MONITOR_ACTIONS)[number];
export const LEG_UPDATE_ACTIONS = [...MONITOR_ACTIONS, 'hangup'] as const;
export type V1LegUpdateAction = (typeof LEG_UPDATE_ACTIONS)[number];

/** POST .../Calls/<CallSid>/Legs: the fields of the document's sample body (it has no parameter table). */
export interface V1CreateLegRequest {
  Action: V1MonitorAction;
  /** The agent leg to monitor. The sample sends "" here; we always send the leg we identified. */
  TargetLegSid: string;
  PhoneNumber: string;
  StatusCallback?: string;
  CustomField?: string;
  StatusCallbackContentType?: string;
  /** Literally this key, as form-style indexing inside a JSON body. */
  'StatusCallbackEvents[0]'?: 'terminal';
}
export const V1_CREATE_LEG_FIELDS = [
  'Action',
  'TargetLegSid',
  'PhoneNumber',
  'StatusCallback',
  'CustomField',
  'StatusCallbackContentType',
  'StatusCallbackEvents[0]',
] as const;
export const V1_STATUS_CALLBACK_EVENTS = ['terminal'] as const;

/** PUT .../Legs/<LegSid>: "only below fields ... are accepted" — Action alone. */
export interface V1UpdateLegRequest {
  Action: V1LegUpdateAction;
}
export const V1_UPDATE_LEG_FIELDS = ['Action'] as const;

export const V1_ORIGINS = ['inbound', 'outbound', 'outbound-dial', 'monitor'] as const;

export const V1Leg = z.object({
  Sid: OptText,
  CallSid: OptText,
  AccountSid: OptText,
  /** Customer and agent legs. */
  PhoneNumber: OptText,
  /** Monitor legs in ActiveLegs show this instead of PhoneNumber. */
  EndUserNumber: OptText,
  Status: OptText,
  /** inbound | outbound | outbound-dial | monitor */
  Origin: OptText,
  /** "" on call legs; listen | whisper | barge on monitor legs. */
  LastAction: OptText,
  /** "2020-12-22 17:31:06" or run together "2020-12-2217:57:40". */
  DateCreated: OptText,
  DateUpdated: OptText,
  StartTime: OptText,
  Uri: OptText,
});
export type V1Leg = z.infer<typeof V1Leg>;

export interface V1RestException {
  /** Either Status or Code carries the HTTP-like number; the document shows both. */
  Status?: number | string;
  Code?: number | string;
  Message: string;
}
