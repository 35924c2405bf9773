// A stateful fake of Exotel: v3 active calls / stream and v1 Listen/Whisper/Barge legs on one server,
// Basic auth, and errors the way each API gives them (v1 RestException in XML or JSON as requested,
// v3 envelope). It refuses anything the documents do not show, so client drift fails a test.
// A monitor leg created with a StatusCallback gets the document's 'terminal' payload POSTed when it
// ends (hung up, or its call ended); see `terminalPayload`.
import { XMLBuilder } from 'fast-xml-parser';
import type { ScenarioOptions, VendorSimulator } from '../shared/simulator.js';
import { SimReject, SimServer, jsonBody, onlyFields, overLimit, type SimHandler, type SimRequest, type SimResponse } from '../shared/sim-server.js';
import { zoneClock, type ZoneClock } from '../shared/time.js';
import { DEFAULT_V1_TIME_ZONE } from './normalise.js';
import { ExotelSimState, type SimCall, type SimLeg, type SimStatusCallback } from './sim-state.js';
import {
  LEG_UPDATE_ACTIONS,
  MONITOR_ACTIONS,
  V1_CREATE_LEG_FIELDS,
  V1_STATUS_CALLBACK_EVENTS,
  V1_UPDATE_LEG_FIELDS,
  V3_ACTIVE_CALLS_QUERY_FIELDS,
  V3_DIRECTION_FILTERS,
  type V1MonitorAction,
  type V3ErrorBody,
} from './types.js';

export interface ExotelScenarioOptions extends ScenarioOptions {
  /**
   * Enforce the published limits per account (NOTES.md): 200 requests a minute for the voice APIs
   * (v1) and 300 for general GETs (v3), answering 429 with Retry-After and X-RateLimit-*. Off by
   * default so load runs measure Switchboard, not the limit.
   */
  enforceRateLimit?: boolean;
  /** The zone v1's zone-less dates are written in: the account's, IST (Asia/Kolkata) by default as the client reads them. */
  v1TimeZone?: string;
}

/** The published limits, per minute, by API (NOTES.md). */
export const EXOTEL_LIMITS = { voice: 200, get: 300 } as const;

export interface ExotelSimulator extends VendorSimulator {
  readonly state: ExotelSimState;
  /** Whether the published limits are enforced now (starts as `enforceRateLimit`). */
  readonly rateLimit: { enforce: boolean };
}

const xmlOut = new XMLBuilder({ format: false });
const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

const NOT_IN_PROGRESS = 'Given callSID is not in-progress';
const NO_LEG = 'Given legSID does not exist. Please check the legSID passed';
// The document gives no answer for an account without the beta; a 403 RestException is how Exotel
// refuses an API an account may not use elsewhere [unconfirmed for LWB].
const LWB_DISABLED = 'Listen Whisper Barge API is not enabled for this account';

function naive(ms: number, zone: ZoneClock, runTogether = false): string {
  const iso = new Date(zone.toWall(ms)).toISOString();
  // The POST/PUT samples run date and time together ("2020-12-2217:57:40"); ActiveLegs does not.
  return `${iso.slice(0, 10)}${runTogether ? '' : ' '}${iso.slice(11, 19)}`;
}

type Api = 'v3' | 'v1json' | 'v1xml';
function apiOf(path: string): Api {
  if (path.startsWith('/v3/')) return 'v3';
  return path.endsWith('.json') ? 'v1json' : 'v1xml';
}

function v1Body(api: Api, value: Record<string, unknown>, status = 200): SimResponse {
  if (api === 'v1json') return { status, body: value };
  return { status, headers: { 'Content-Type': 'application/xml' }, body: XML_DECL + xmlOut.build({ TwilioResponse: value }) };
}

/** The v3 wrapper; request ids count per simulator so a seed replays the same bodies. */
function envelope(requestId: string, response: unknown, status = 200): SimResponse {
  return { status, body: { request_id: requestId, method: 'GET', http_code: status, response } };
}

/** Each API's error shape; v1 says Code on its 404s and Status elsewhere, as the document's samples do. */
function errorFor(api: Api, status: number, message: string, requestId: string): SimResponse {
  if (api === 'v3') {
    const response: V3ErrorBody['response'] = {
      code: status,
      status: 'failure',
      error_data: { code: status * 10, message: status === 404 ? 'Not Found' : 'Request failed', description: message },
      data: null,
    };
    return envelope(requestId, response, status);
  }
  return v1Body(api, { RestException: { [status === 404 ? 'Code' : 'Status']: status, Message: message } }, status);
}

function int(raw: string | null, name: string, min: number): number | undefined {
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new SimReject(400, `Invalid value for ${name}: ${raw}`);
  return Number(raw);
}

export function createExotelSimulator(opts: ExotelScenarioOptions): ExotelSimulator {
  const now = opts.now ?? Date.now;
  const zone = zoneClock(opts.v1TimeZone ?? DEFAULT_V1_TIME_ZONE);
  const calls = opts.calls ?? 12;
  const state = new ExotelSimState(opts.seed, calls, opts.agents ?? Math.max(8, Math.ceil(calls * 1.2)), now);
  const credentials = { apiKey: `simkey${opts.seed}`, apiToken: `simtoken${state.accountSid}` };
  const expectedAuth = `Basic ${Buffer.from(`${credentials.apiKey}:${credentials.apiToken}`).toString('base64')}`;
  let authExpired = false;
  let serial = 0;
  const requestId = (): string => `req_${(serial += 1).toString(36)}`;
  const fail = (api: Api, status: number, message: string): SimResponse => errorFor(api, status, message, requestId());

  // The error format depends on which API (v3, v1 XML, v1 JSON) the request was for.
  const server: SimServer = new SimServer({
    errorResponse: (status, message, req) => fail(apiOf(req.path), status, message),
    malformedResponse: (req) => {
      const api = apiOf(req.path);
      if (api === 'v1xml') return { status: 200, headers: { 'Content-Type': 'application/xml' }, body: `${XML_DECL}<TwilioResponse><Legs><Leg><Sid>` };
      if (api === 'v1json') return { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"Legs":[{"Sid":"' };
      return { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"request_id":"req_x","method":"GET","http_code":200,"response":{"active_calls":[{' };
    },
    authenticate: (req) => {
      const api = apiOf(req.path);
      if (req.headers.authorization !== expectedAuth) return fail(api, 401, 'Authentication is required to view this page.');
      if (authExpired) {
        authExpired = false;
        return fail(api, 401, 'Authentication credentials have expired.');
      }
      if (req.params.sid !== state.accountSid) return fail(api, 403, `These credentials do not belong to account ${req.params.sid ?? ''}.`);
      return null;
    },
    expireAuth: () => {
      authExpired = true;
    },
    now,
  });

  const rateLimit = { enforce: opts.enforceRateLimit ?? false };
  const sent: Record<keyof typeof EXOTEL_LIMITS, number[]> = { voice: [], get: [] };
  /** Over the published limit: a 429 with the wait and the window's X-RateLimit-* headers. */
  const limited = (req: SimRequest): SimResponse | null => {
    if (!rateLimit.enforce) return null;
    const bucket = apiOf(req.path) === 'v3' ? 'get' : 'voice';
    const wait = overLimit(sent[bucket], EXOTEL_LIMITS[bucket], now());
    if (wait === null) return null;
    const refused = fail(apiOf(req.path), 429, 'Too many requests');
    const headers = {
      'Retry-After': String(wait),
      'X-RateLimit-Limit': String(EXOTEL_LIMITS[bucket]),
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(Math.ceil(now() / 1000) + wait),
    };
    return { ...refused, headers: { ...refused.headers, ...headers } };
  };

  /** Handlers answer rejections in the format of their own request. */
  const route = (method: string, path: string, handler: SimHandler): void =>
    server.route(method, path, async (req) => {
      try {
        const refused = limited(req);
        if (refused) return refused;
        return await handler(req);
      } catch (err) {
        if (err instanceof SimReject) return fail(apiOf(req.path), err.status, err.message);
        throw err;
      }
    });

  // ------------------------------------------------------------ v3

  const v3Call = (c: SimCall) => ({
    call_sid: c.sid,
    direction: c.direction,
    status: c.status,
    from: c.from,
    to: c.to,
    start_time: new Date(c.startMs).toISOString(),
    duration: Math.max(0, Math.floor((now() - c.startMs) / 1000)),
    agent_details: c.agent ? { user_id: c.agent.userId, name: c.agent.name, status: 'on-call' } : null,
    recording_enabled: c.recording,
  });

  route('GET', '/v3/accounts/:sid/calls/active', (req) => {
    for (const k of req.query.keys()) if (!(V3_ACTIVE_CALLS_QUERY_FIELDS as readonly string[]).includes(k)) throw new SimReject(400, `Unknown query parameter: ${k}`);
    const direction = req.query.get('direction');
    if (direction !== null && !(V3_DIRECTION_FILTERS as readonly string[]).includes(direction)) throw new SimReject(400, 'direction must be inbound or outbound');
    const limit = int(req.query.get('limit'), 'limit', 1) ?? 20;
    const offset = int(req.query.get('offset'), 'offset', 0) ?? 0;
    const rows = state.list({ agentId: req.query.get('agent_id') ?? undefined, direction: (direction ?? undefined) as 'inbound' | 'outbound' | undefined });
    return envelope(requestId(), { active_calls: rows.slice(offset, offset + limit).map(v3Call), total_active: rows.length });
  });

  route('GET', '/v3/accounts/:sid/calls/:callSid/stream', (req) => {
    if ([...req.query.keys()].length > 0) throw new SimReject(400, 'This endpoint takes no query parameters');
    const c = state.calls.get(req.params.callSid ?? '');
    if (!c) throw new SimReject(404, 'Call not found or no longer active');
    const legs = c.legs
      .filter((l) => l.origin !== 'monitor')
      .map((l) => ({
        leg_sid: l.sid,
        contact_uri: l.number,
        direction: l.origin === 'inbound' ? 'inbound' : 'outbound',
        status: l.status === 'in-progress' ? 'connected' : 'ringing',
        network_type: 'pstn',
        audio_status: { muted: l.muted, hold: l.hold },
      }));
    const duration = Math.max(0, Math.floor((now() - c.startMs) / 1000));
    return envelope(requestId(), {
      stream: {
        call_sid: c.sid,
        status: c.status,
        duration,
        legs,
        bridge: c.bridge ? { bridge_sid: c.bridge.sid, status: 'active', created_at: new Date(c.bridge.createdMs).toISOString() } : null,
        recording: { enabled: c.recording, channels: 'dual', duration: c.recording ? duration : 0 },
      },
    });
  });

  // ------------------------------------------------------------ v1: StatusCallback

  /**
   * The document's "Sample StatusCallback payload for 'terminal' event", field for field, every value
   * a string as the sample shows. Dates are zone-less like the rest of v1 (the sample puts a space
   * between date and time). The sample's OnCallDuration (52) does not match its StartTime..EndTime
   * (33 s); here it is the leg's seconds from start to end. LastAction is the monitor mode the leg
   * ended in ("whisper" in the sample), not the hangup. CustomField is sent only when the request
   * gave one [unconfirmed].
   */
  const terminalPayload = (c: SimCall, l: SimLeg, cb: SimStatusCallback, endMs: number): Record<string, string> => ({
    LegSid: l.sid,
    CallSid: c.sid,
    AccountSid: state.accountSid,
    DateCreated: naive(l.createdMs, zone),
    DateUpdated: naive(endMs, zone),
    StartTime: naive(l.createdMs, zone),
    EndTime: naive(endMs, zone),
    PhoneNumber: l.number,
    Status: 'completed',
    OnCallDuration: String(Math.max(0, Math.round((endMs - l.createdMs) / 1000))),
    Origin: l.origin,
    LastAction: l.lastAction,
    ...(cb.customField === undefined ? {} : { CustomField: cb.customField }),
    EventType: 'terminal',
  });
  state.onLegEnded = (c, l, endMs) => {
    const cb = l.statusCallback;
    if (!cb) return;
    const fields = terminalPayload(c, l, cb, endMs);
    state.callbacks.post(cb.url, cb.contentType === 'application/json' ? { json: fields } : { form: fields });
  };

  // ------------------------------------------------------------ v1

  const v1Leg = (c: SimCall, l: SimLeg, uri: string, inList: boolean) => ({
    Sid: l.sid,
    CallSid: c.sid,
    AccountSid: state.accountSid,
    // ActiveLegs shows a monitor leg's number as EndUserNumber; the POST/PUT answers say PhoneNumber.
    ...(inList && l.origin === 'monitor' ? { EndUserNumber: l.number } : { PhoneNumber: l.number }),
    Status: l.status,
    Origin: l.origin,
    LastAction: l.lastAction,
    DateCreated: naive(l.createdMs, zone),
    DateUpdated: naive(l.updatedMs, zone, !inList),
    ...(inList ? {} : { StartTime: naive(l.createdMs, zone, true) }),
    Uri: uri,
  });

  const liveCall = (req: SimRequest): SimCall => {
    if (!state.lwbEnabled) throw new SimReject(403, LWB_DISABLED);
    const c = state.calls.get(req.params.callSid ?? '');
    if (!c || c.status !== 'in-progress') throw new SimReject(404, NOT_IN_PROGRESS);
    return c;
  };

  const noQuery = (req: SimRequest): void => {
    if ([...req.query.keys()].length > 0) throw new SimReject(400, 'This endpoint takes no query parameters');
  };

  const jsonRequest = (req: SimRequest): Record<string, unknown> => {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) throw new SimReject(400, 'Content-Type must be application/json');
    return jsonBody(req);
  };

  const oneOf = <T extends string>(value: unknown, allowed: readonly T[], name: string): T => {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) throw new SimReject(400, `Invalid Parameter: ${name} is missing or invalid`);
    return value as T;
  };

  const activeLegs: SimHandler = (req) => {
    noQuery(req);
    const c = liveCall(req);
    const uri = `/v1/Accounts/${state.accountSid}/Calls/${c.sid}/ActiveLegs`;
    const legs = c.legs.map((l) => v1Leg(c, l, uri, true));
    const api = apiOf(req.path);
    return v1Body(api, { Legs: api === 'v1json' ? legs : { Leg: legs } });
  };
  route('GET', '/v1/Accounts/:sid/Calls/:callSid/ActiveLegs', activeLegs);
  route('GET', '/v1/Accounts/:sid/Calls/:callSid/ActiveLegs.json', activeLegs);

  const createLeg: SimHandler = (req) => {
    noQuery(req);
    const body = jsonRequest(req);
    onlyFields(body, V1_CREATE_LEG_FIELDS);
    const action = oneOf(body.Action, MONITOR_ACTIONS, 'Action');
    // The sample sends TargetLegSid as ""; the field is always present.
    if (typeof body.TargetLegSid !== 'string') throw new SimReject(400, 'Invalid Parameter: TargetLegSid is missing or invalid');
    if (typeof body.PhoneNumber !== 'string' || !/^\+?[0-9]{3,15}$/.test(body.PhoneNumber)) throw new SimReject(400, 'Invalid Parameter: PhoneNumber is missing or invalid');
    for (const k of ['StatusCallback', 'CustomField'] as const) if (body[k] !== undefined && typeof body[k] !== 'string') throw new SimReject(400, `Invalid Parameter: ${k} is invalid`);
    if (body.StatusCallbackContentType !== undefined) oneOf(body.StatusCallbackContentType, ['application/json', 'multipart/form-data'], 'StatusCallbackContentType');
    if (body['StatusCallbackEvents[0]'] !== undefined) oneOf(body['StatusCallbackEvents[0]'], V1_STATUS_CALLBACK_EVENTS, 'StatusCallbackEvents[0]');
    const c = liveCall(req);
    if (body.TargetLegSid !== '') {
      const target = state.findLeg(c, body.TargetLegSid);
      if (!target || target.origin === 'monitor') throw new SimReject(400, 'Invalid Parameter: TargetLegSid is missing or invalid');
    }
    const leg = state.addMonitorLeg(c, action, body.PhoneNumber);
    // The sample sends StatusCallback "" (no callback). 'terminal' is the only documented event, so a
    // callback URL gets it whether or not StatusCallbackEvents[0] names it. Without a content type
    // Exotel's wider docs post status callbacks as multipart/form-data [unconfirmed for LWB legs].
    if (typeof body.StatusCallback === 'string' && body.StatusCallback !== '') {
      leg.statusCallback = {
        url: body.StatusCallback,
        contentType: body.StatusCallbackContentType === 'application/json' ? 'application/json' : 'multipart/form-data',
        customField: typeof body.CustomField === 'string' ? body.CustomField : undefined,
      };
    }
    return v1Body(apiOf(req.path), { Leg: v1Leg(c, leg, `/v1/Accounts/${state.accountSid}/Calls/${c.sid}/Legs`, false) });
  };
  route('POST', '/v1/Accounts/:sid/Calls/:callSid/Legs', createLeg);
  route('POST', '/v1/Accounts/:sid/Calls/:callSid/Legs.json', createLeg);

  // One route for Legs/<LegSid> and Legs/<LegSid>.json: a path parameter takes the whole segment.
  route('PUT', '/v1/Accounts/:sid/Calls/:callSid/Legs/:leg', (req) => {
    noQuery(req);
    const body = jsonRequest(req);
    onlyFields(body, V1_UPDATE_LEG_FIELDS);
    const action = oneOf(body.Action, LEG_UPDATE_ACTIONS, 'Action');
    const c = liveCall(req);
    const leg = state.findLeg(c, (req.params.leg ?? '').replace(/\.json$/, ''));
    if (!leg) throw new SimReject(404, NO_LEG);
    const uri = `/v1/Accounts/${state.accountSid}/Calls/${c.sid}/Legs/${leg.sid}`;
    if (action === 'hangup') {
      state.hangupLeg(c, leg);
      return v1Body(apiOf(req.path), { Leg: { ...v1Leg(c, leg, uri, false), Status: 'completed', LastAction: 'hangup' } });
    }
    if (leg.origin !== 'monitor') throw new SimReject(400, 'Invalid Parameter: Action applies only to a monitor leg');
    // The document only ever upgrades (listen → whisper → barge); a step down is refused here.
    const rank = (m: V1MonitorAction | '') => (m === '' ? -1 : MONITOR_ACTIONS.indexOf(m));
    if (rank(action) < rank(leg.lastAction)) throw new SimReject(400, `Invalid Parameter: Action cannot go from ${leg.lastAction} back to ${action}`);
    leg.lastAction = action;
    leg.updatedMs = now();
    return v1Body(apiOf(req.path), { Leg: v1Leg(c, leg, uri, false) });
  });

  return {
    rateLimit,
    server,
    state,
    credentials,
    start: () => server.listen(),
    stop: () => server.close(),
    accountSettings: () => ({
      vendor: 'exotel' as const,
      accountSid: state.accountSid,
      v1BaseUrl: server.baseUrl,
      v3BaseUrl: server.baseUrl,
      v1Format: 'json' as const,
      ...(opts.v1TimeZone === undefined ? {} : { timeZone: opts.v1TimeZone }),
    }),
    tick: () => state.tick(),
    // Agents as Exotel shows them: those on calls.
    counts: () => ({ calls: state.calls.size, agents: state.agentsOnCalls() }),
  };
}
