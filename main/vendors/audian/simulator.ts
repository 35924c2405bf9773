// A stateful Audian fake on loopback, faithful to audian-call-actions.txt and NOTES.md: the same
// paths, methods, auth and field names, and the vendor's error bodies for every deviation.
// Where the documents disagree it accepts every variant (X-Auth-Token or Bearer; /remove or
// /disconnect; hold_original and language although the tables omit them).
// With a webhook URL (state.webhookUrl) it also sends the document's webhook events for the changes
// its API makes; see `announce`.
import type { AudianAccount } from '../../domain/account.js';
import { SimReject, SimServer, jsonBody, onlyFields, type SimRequest, type SimResponse } from '../shared/sim-server.js';
import type { VendorSimulator } from '../shared/simulator.js';
import { AUTH_PATH } from './auth.js';
import { AudianSimState, SIM_SUPERVISOR_PHONE, UNREACHABLE_DESTINATION, type AudianScenarioOptions, type SimCall } from './sim-state.js';
import type { WebhookEventName } from './types.js';

export { UNREACHABLE_DESTINATION, SIM_SUPERVISOR_PHONE, AudianSimState, type AudianScenarioOptions };

export interface AudianSimulator extends VendorSimulator {
  readonly state: AudianSimState;
}

type Body = Record<string, unknown>;

const ERROR_NAMES: Record<number, string> = {
  400: 'invalid_request',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'invalid_state',
  429: 'too_many_requests',
  500: 'internal_error',
  503: 'service_unavailable',
};

/** Call-action errors: {error, message, code}. The Kazoo auth layer answers its own shape. */
function actionError(status: number, error: string, message: string): SimResponse {
  return { status, body: { error, message, code: status } };
}
function kazooError(status: 401 | 403, message: string): SimResponse {
  return { status, body: { error: String(status), message, status: 'error' } };
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---- field checks: the simulator's guard against a client drifting from the tables ----
type Kind = 'string' | 'boolean' | 'integer';
function field(body: Body, name: string, kind: Kind, required = false): unknown {
  const v = body[name];
  if (v === undefined) {
    if (required) throw new SimReject(400, `Missing required field: ${name}`);
    return undefined;
  }
  const ok = kind === 'integer' ? Number.isInteger(v) : typeof v === kind;
  if (!ok) throw new SimReject(400, `Field ${name} must be ${kind === 'integer' ? 'an integer' : `a ${kind}`}`);
  return v;
}
function oneOf<T extends string>(body: Body, name: string, options: readonly T[]): T | undefined {
  const v = field(body, name, 'string') as string | undefined;
  if (v !== undefined && !(options as readonly string[]).includes(v)) {
    throw new SimReject(400, `Field ${name} must be one of: ${options.join(', ')}`);
  }
  return v as T | undefined;
}
function strictBody(req: SimRequest, allowed: readonly string[]): Body {
  const body = jsonBody(req);
  onlyFields(body, allowed);
  return body;
}

export function createAudianSimulator(opts: AudianScenarioOptions): AudianSimulator {
  const state = new AudianSimState(opts);

  const server = new SimServer({
    errorResponse: (status, message) =>
      status === 401 ? kazooError(401, 'unauthorized') : actionError(status, ERROR_NAMES[status] ?? 'error', message),
    malformedResponse: () => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"data":[{"call_id":"call_' }),
    authenticate(req) {
      const token = tokenOf(req);
      return token !== null && state.tokenValid(token) ? null : kazooError(401, 'unauthorized');
    },
    expireAuth: () => state.expireTokens(),
    now: opts.now ?? Date.now,
  });

  /** A live call, or the document's not_found (404); ended calls refuse actions as invalid_state. */
  function liveCall(req: SimRequest, needAnswered: string | null): SimCall {
    const c = state.find(req.params.id ?? '');
    if (!c) throw new SimReject(404, 'Call not found');
    if (c.status === 'completed') throw new SimReject(409, 'Call has already ended');
    if (needAnswered && c.status !== 'answered') throw new SimReject(409, `Cannot ${needAnswered} a call that is not answered`);
    return c;
  }
  /**
   * Answers an action and sends its webhook event. The document shows only call.held, whose data is
   * the hold answer without its status word (the event name says it); every event is built the same
   * way from its action's documented answer, so each carries what that answer carries.
   */
  function announce(event: WebhookEventName, body: Body & { call_id: string }): SimResponse {
    const { status: _word, ...data } = body;
    state.emit(event, data);
    return { status: 200, body };
  }
  function action(name: string, handler: (req: SimRequest) => SimResponse): void {
    server.route('POST', `/v2/calls/:id/${name}`, (req) => {
      const res = handler(req);
      state.changed();
      return res;
    });
  }

  server.route(
    'PUT',
    AUTH_PATH,
    (req) => {
      const body = strictBody(req, ['data']);
      const data = body.data;
      if (!data || typeof data !== 'object' || Array.isArray(data)) throw new SimReject(400, 'Missing required field: data');
      onlyFields(data as Body, ['api_key']);
      const key = field(data as Body, 'api_key', 'string', true);
      if (key !== state.apiKey) return kazooError(401, 'invalid credentials');
      const token = state.issueToken();
      return {
        status: 201,
        body: { auth_token: token, data: { account_id: state.accountId, owner_id: 'sim-owner' }, status: 'success', request_id: `req_${token}` },
      };
    },
    { noAuth: true },
  );

  server.route('GET', '/v2/accounts/:account_id/channels', (req) => {
    if (req.params.account_id !== state.accountId) return kazooError(403, 'forbidden');
    const channels = state.channels();
    return { status: 200, body: state.channelsWrapped ? { data: channels, status: 'success', request_id: `req_${state.live.size}`, auth_token: tokenOf(req) } : channels };
  });

  server.route('GET', '/v2/calls/:id', (req) => {
    const c = state.find(req.params.id ?? '');
    if (!c) throw new SimReject(404, 'Call not found');
    const end = c.ended_at ?? state.now();
    return {
      status: 200,
      body: {
        call_id: c.call_id,
        status: c.status,
        duration: Math.max(0, Math.round((end - (c.answered_at ?? c.initiated_at)) / 1000)),
        from: c.from,
        to: c.to,
        muted: c.muted,
        on_hold: c.on_hold,
        recording_active: c.recording_active,
        initiated_at: iso(c.initiated_at),
        ...(c.answered_at === null ? {} : { answered_at: iso(c.answered_at) }),
      },
    };
  });

  action('transfer', (req) => {
    // hold_original is only in the attended example, not the table: accepted.
    const body = strictBody(req, ['destination', 'caller_id', 'transfer_type', 'hold_original']);
    const destination = field(body, 'destination', 'string', true) as string;
    const callerId = field(body, 'caller_id', 'string') as string | undefined;
    const type = oneOf(body, 'transfer_type', ['blind', 'attended']) ?? 'blind';
    const holdOriginal = field(body, 'hold_original', 'boolean') as boolean | undefined;
    const c = liveCall(req, 'transfer');
    if (destination === UNREACHABLE_DESTINATION) return actionError(503, 'transfer_failed', 'Transfer destination is not available');
    const from = c.to;
    c.to = destination;
    c.on_hold = type === 'attended' && holdOriginal !== false;
    c.lastTransfer = { destination, transfer_type: type, caller_id: callerId ?? null };
    const res = announce('call.transferred', { call_id: c.call_id, status: 'transferred', transfer_from: from, transfer_to: destination, transferred_at: iso(state.now()) });
    // An attended transfer also holds the original call ("the original call is held"): that is a
    // hold, so call.held follows, and a receiver applying the events in order ends up on hold.
    if (c.on_hold) state.emit('call.held', { call_id: c.call_id, held_at: iso(state.now()) });
    return res;
  });

  action('hold', (req) => {
    const music = field(strictBody(req, ['hold_music']), 'hold_music', 'string') as string | undefined;
    const c = liveCall(req, 'hold');
    c.on_hold = true;
    c.hold_music = music ?? null;
    return announce('call.held', { call_id: c.call_id, status: 'held', held_at: iso(state.now()) });
  });

  action('resume', (req) => {
    strictBody(req, []);
    const c = liveCall(req, 'resume');
    if (!c.on_hold) throw new SimReject(409, 'Call is not on hold');
    c.on_hold = false;
    return announce('call.resumed', { call_id: c.call_id, status: 'resumed', resumed_at: iso(state.now()) });
  });

  for (const muted of [true, false]) {
    action(muted ? 'mute' : 'unmute', (req) => {
      strictBody(req, []);
      const c = liveCall(req, muted ? 'mute' : 'unmute');
      c.muted = muted;
      return announce(muted ? 'call.muted' : 'call.unmuted', { call_id: c.call_id, muted, [muted ? 'muted_at' : 'unmuted_at']: iso(state.now()) });
    });
  }

  action('play-audio', (req) => {
    // language is only in the text-to-speech example, not the table: accepted.
    const body = strictBody(req, ['audio_url', 'message', 'language', 'participant', 'interrupt']);
    const url = field(body, 'audio_url', 'string');
    const message = field(body, 'message', 'string');
    if ((url === undefined) === (message === undefined)) throw new SimReject(400, 'Give either audio_url or message');
    oneOf(body, 'participant', ['caller', 'callee', 'both']);
    field(body, 'interrupt', 'boolean');
    field(body, 'language', 'string');
    const c = liveCall(req, 'play audio to');
    c.played.push(body);
    return { status: 200, body: { call_id: c.call_id, status: 'playing' } };
  });

  action('hangup', (req) => {
    strictBody(req, []);
    const c = liveCall(req, null);
    state.end(c);
    return announce('call.completed', { call_id: c.call_id, status: 'completed', ended_at: iso(c.ended_at ?? state.now()) });
  });

  action('gather-dtmf', (req) => {
    const body = strictBody(req, ['prompt', 'max_digits', 'timeout', 'finish_key', 'language']);
    field(body, 'prompt', 'string');
    const max = (field(body, 'max_digits', 'integer') as number | undefined) ?? 1;
    const timeout = field(body, 'timeout', 'integer') as number | undefined;
    const finish = field(body, 'finish_key', 'string') as string | undefined;
    field(body, 'language', 'string');
    if (max < 1 || max > 64) throw new SimReject(400, 'Field max_digits must be between 1 and 64');
    if (timeout !== undefined && timeout < 1) throw new SimReject(400, 'Field timeout must be positive');
    if (finish !== undefined && !/^[0-9*#]$/.test(finish)) throw new SimReject(400, 'Field finish_key must be one key');
    const c = liveCall(req, 'gather input on');
    return announce('ivr.input_received', { call_id: c.call_id, digits_collected: state.digits(max), input_type: 'dtmf' });
  });

  action('send-dtmf', (req) => {
    const body = strictBody(req, ['digits', 'duration', 'pause_between']);
    const digits = field(body, 'digits', 'string', true) as string;
    if (!/^[0-9*#A-Da-d]+$/.test(digits)) throw new SimReject(400, 'Field digits must be DTMF digits');
    field(body, 'duration', 'integer');
    field(body, 'pause_between', 'integer');
    const c = liveCall(req, 'send tones to');
    c.dtmfSent.push(digits);
    return { status: 200, body: { call_id: c.call_id, status: 'sent' } };
  });

  action('conference', (req) => {
    const participant = field(strictBody(req, ['participant']), 'participant', 'string', true) as string;
    const c = liveCall(req, 'conference');
    const conferenceId = state.conferenceFor(c);
    if (!c.participants.includes(participant)) c.participants.push(participant);
    return { status: 200, body: { call_id: c.call_id, conference_id: conferenceId, participants: [...c.participants] } };
  });

  // The document removes by number with /remove; other pages disconnect by participant id. Here a
  // participant's id is its number, so both paths do the same.
  for (const verb of ['remove', 'disconnect']) {
    server.route('POST', `/v2/conferences/:conf/participants/:participant/${verb}`, (req) => {
      strictBody(req, []);
      const callId = state.conferences.get(req.params.conf ?? '');
      const c = callId === undefined ? undefined : state.find(callId);
      if (!c) throw new SimReject(404, 'Conference not found');
      const who = req.params.participant ?? '';
      if (!c.participants.includes(who)) throw new SimReject(404, 'Participant not found');
      c.participants = c.participants.filter((p) => p !== who);
      state.changed();
      return { status: 200, body: { conference_id: req.params.conf, participant: who, status: 'removed' } };
    });
  }

  return {
    server,
    state,
    credentials: { apiKey: state.apiKey },
    start: () => server.listen(),
    stop: () => server.close(),
    accountSettings() {
      const settings: Omit<AudianAccount, 'id' | 'label'> = {
        vendor: 'audian',
        baseUrl: server.baseUrl,
        authHeader: 'x-auth-token',
        supervisorPhone: SIM_SUPERVISOR_PHONE,
        demo: false,
        enabled: true,
      };
      return settings;
    },
    tick: () => state.tick(),
    // Audian has no agents (no agent API), so opts.agents has nothing to seed.
    counts: () => ({ calls: state.live.size, agents: 0 }),
  };
}

/** X-Auth-Token (the auth reference) or Authorization: Bearer (the document's code samples). */
function tokenOf(req: SimRequest): string | null {
  const x = req.headers['x-auth-token'];
  if (typeof x === 'string' && x !== '') return x;
  const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  return m?.[1] ?? null;
}
