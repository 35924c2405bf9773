// Engage Voice wire types, as engage-voice-active-calls.txt and NOTES.md describe them. Fields the
// documents show as optional or nullable are typed so; the normaliser deals with every variant.

/** One row of GET .../activeCalls/list. The list carries no agent id: join to agents on `uii`. */
export interface EvActiveCall {
  uii?: string | number | null;
  accountId?: string | number | null;
  ani?: string | null;
  dnis?: string | null;
  /** Present on newer hosts only; `dnis` is the fallback. */
  dnisE164?: string | null;
  /** ISO with `+0000`, ISO with `Z`, naive or epoch forms all occur; see normalise.ts. */
  enqueueTime?: string | number | null;
  dequeueTime?: string | number | null;
  callState?: string | null;
  /** Whether the call is being recorded. */
  archive?: boolean | string | null;
  agentFirstName?: string | null;
  agentLastName?: string | null;
  destinationName?: string | null;
  externalId?: string | null;
  cnam?: string | null;
}

/** Query of GET .../activeCalls/list; every parameter optional. */
export interface EvListQuery {
  product?: string;
  productId?: string;
  page?: number;
  maxRows?: number;
}

/** One row of GET .../realTimeData/agent. */
export interface EvAgent {
  agentId?: string | number | null;
  username?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  /** AVAILABLE / ON_CALL / AWAY / WRAP_UP / ... (open-ended). */
  agentState?: string | null;
  stateTime?: string | number | null;
  callUii?: string | number | null;
  callAni?: string | null;
  callDnis?: string | null;
  gateId?: string | number | null;
  campaignId?: string | number | null;
  pendingDisposition?: boolean | string | null;
  agentLoginId?: string | number | null;
  lastUpdate?: string | number | null;
}

export const SESSION_TYPES = ['MONITOR', 'BARGEIN', 'COACHING'] as const;
export type EvSessionType = (typeof SESSION_TYPES)[number];

/** POST .../activeCalls/createManualAgentCall */
export interface EvManualAgentCallParams {
  username: string;
  destination: string;
  ringDuration: number;
  callerId: string;
}

/** POST .../activeCalls/{uii}/addSessionToCall */
export interface EvAddSessionParams {
  destination: string;
  sessionType: EvSessionType;
}

/**
 * POST .../activeCalls/{uii}/dispositionCall — the parameter table's fields. The document's example
 * body shows `{phone}` instead; the client sends the table (see client.ts), the simulator accepts both.
 */
export interface EvDispositionParams {
  disposition: string;
  callback: boolean;
  /** yyyyMMddHHmmss; only with callback. */
  callBackDTS?: string;
  notes?: string;
}

/** POST .../activeCalls/{uii}/hangupSession: the phone the session was started with. */
export interface EvHangupSessionParams {
  phone: string;
}

/** POST .../activeCalls/{uii}/toggleCallRecording */
export interface EvToggleRecordingParams {
  record: boolean;
}

/** Error body of every Engage endpoint. */
export interface EvErrorBody {
  errorCode?: string | number;
  generalMessage?: string;
  details?: string | null;
  requestUri?: string;
  timestamp?: string | number;
  validationErrors?: Array<string | { field?: string; message?: string; defaultMessage?: string }>;
}

/** RingCentral platform token (JWT grant) answer; only the field we use. */
export interface RcTokenResponse {
  access_token: string;
  token_type?: string;
  expires_in?: number;
}

/** Engage token exchange / refresh answer. */
export interface EvAuthResponse {
  accessToken: string;
  refreshToken?: string;
  tokenType?: string;
  mainAccountId?: string;
  agentDetails?: unknown[];
  adminId?: number | string;
}
