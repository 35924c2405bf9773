// A stateful fake of the LiveVox Supervisor API on loopback: the documented paths, methods, headers
// and field names, answering in the vendor's shapes and refusing anything else with {code, message}.
// Where the document contradicts itself the simulator accepts every form it shows, and answers with
// the form chosen in state.variants.
import { SimReject, SimServer, jsonBody, onlyFields, type SimRequest, type SimResponse } from '../shared/sim-server.js';
import type { ScenarioOptions, VendorSimulator } from '../shared/simulator.js';
import { parseVendorTime } from '../shared/time.js';
import { REALTIME_AGENTS_PATH, supervisorBase } from './client.js';
import { LOGIN_PATH } from './session.js';
import { LiveVoxSimState, SIM_CALL_CENTERS, SIM_SUPERVISOR, STATE, type SimAgent } from './sim-state.js';
import { REASON_CODES, type MonitorVerb, type ReasonCode } from './types.js';

export interface LiveVoxSimulator extends VendorSimulator {
  readonly state: LiveVoxSimState;
}

const ok = (body: unknown): SimResponse => ({ status: 200, body });
const noContent: SimResponse = { status: 204 };

// ---- request checks: a client that drifts from the document is refused, not indulged ----

function body(req: SimRequest, allowed: readonly string[]): Record<string, unknown> {
  const b = jsonBody(req);
  onlyFields(b, allowed);
  return b;
}

function noBody(req: SimRequest): void {
  if (req.body.trim() !== '') throw new SimReject(400, 'This request takes no body');
}

function query(req: SimRequest, allowed: readonly string[], required: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of req.query) {
    if (!allowed.includes(k)) throw new SimReject(400, `Unknown parameter: ${k}`);
    out[k] = v;
  }
  for (const k of required) if (!out[k]) throw new SimReject(400, `Missing required parameter: ${k}`);
  return out;
}

function str(b: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const v = b[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new SimReject(400, `${key} must be a non-empty string`);
  return v;
}

function loginIds(b: Record<string, unknown>): string[] {
  const v = b.agents;
  if (!Array.isArray(v) || v.length === 0 || !v.every((x): x is string => typeof x === 'string' && x !== '')) {
    throw new SimReject(400, 'agents must be a non-empty array of agent login IDs');
  }
  return v;
}

/** The table says Boolean; the example sends the string "false". Both are accepted. */
function boolish(v: unknown, key: string): boolean {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new SimReject(400, `${key} must be true or false`);
}

export function createLiveVoxSimulator(opts: ScenarioOptions): LiveVoxSimulator {
  const now = opts.now ?? Date.now;
  const size = { ...(opts.agents === undefined ? {} : { agents: opts.agents }), ...(opts.calls === undefined ? {} : { calls: opts.calls }) };
  const state = new LiveVoxSimState(opts.seed, now, size);
  const credentials = { accessToken: `LVA-${opts.seed}-demo-access`, password: `lv-demo-${opts.seed}` };

  const server = new SimServer({
    errorResponse: (status, message) => ({ status, body: { code: status, message } }),
    malformedResponse: () => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"agentDetails":[{"agentLoginId":"LV_TEST","stateId":' }),
    authenticate: (req) => {
      if (req.headers['lv-access'] !== credentials.accessToken) return { status: 401, body: { code: 401, message: 'Invalid or missing LV-Access token' } };
      const session = req.headers['lv-session'];
      const verdict = state.useSession(typeof session === 'string' ? session : undefined);
      if (verdict === 'ok') return null;
      return { status: 401, body: { code: 401, message: verdict === 'expired' ? 'Session expired, please log in again' : 'Invalid or missing LV-Session' } };
    },
    expireAuth: () => state.expireSessions(),
    now,
  });

  /** Registers a supervisor route unversioned and with a version segment (/callControl/v6.0/...). */
  const supervisor = (method: string, rest: string, handler: (req: SimRequest) => SimResponse): void => {
    server.route(method, `${supervisorBase('')}${rest}`, handler);
    server.route(method, `/callControl/:version/supervisor${rest}`, (req) => {
      if (!/^v[0-9]+(\.[0-9]+)*$/.test(req.params.version ?? '')) throw new SimReject(404, `No such resource: ${req.path}`);
      return handler(req);
    });
  };

  const agentOrReject = (loginId: string): SimAgent => {
    const a = state.agents.get(loginId);
    if (!a) throw new SimReject(404, `Agent ${loginId} not found`);
    return a;
  };

  // ---- session ----
  server.route(
    'POST',
    LOGIN_PATH,
    (req) => {
      if (req.headers['lv-access'] !== credentials.accessToken) throw new SimReject(401, 'Invalid or missing LV-Access token');
      const b = body(req, ['clientName', 'userName', 'password', 'agent']);
      const clientName = str(b, 'clientName', true);
      const userName = str(b, 'userName', true);
      const password = str(b, 'password', true);
      if (typeof b.agent !== 'boolean') throw new SimReject(400, 'agent must be a boolean');
      if (clientName !== SIM_SUPERVISOR.clientName || userName !== SIM_SUPERVISOR.userName || password !== credentials.password) {
        throw new SimReject(401, 'Invalid client name, user name or password');
      }
      if (b.agent) throw new SimReject(403, 'An agent session cannot use the Supervisor API');
      return ok({ sessionId: state.login(), clientId: SIM_SUPERVISOR.clientId, userId: SIM_SUPERVISOR.userId, daysUntilPasswordExpires: 42 });
    },
    { noAuth: true },
  );

  // ---- agent status ----
  const statusRoute = (path: string, fields: readonly string[], apply: (a: SimAgent, b: Record<string, unknown>) => string) =>
    supervisor('POST', path, (req) => {
      const b = body(req, fields);
      const ids = loginIds(b);
      str(b, 'message', false);
      if (b.reasonCode !== undefined && !REASON_CODES.includes(b.reasonCode as ReasonCode)) {
        throw new SimReject(400, `reasonCode must be one of ${REASON_CODES.join(', ')}`);
      }
      return ok({
        agents: ids.map((id) => {
          const a = state.agents.get(id);
          return { agentLoginId: id, status: a?.loggedOn ? apply(a, b) : 'Failed: agent is not logged in' };
        }),
      });
    });
  statusRoute('/agent/status/ready', ['agents', 'message'], (a) => {
    if (a.call) return 'Failed: agent is on a call';
    state.setState(a, STATE.ready);
    return 'Success';
  });
  statusRoute('/agent/status/notReady', ['agents', 'reasonCode', 'message'], (a, b) => {
    if (a.call) return 'Failed: agent is on a call';
    state.setState(a, STATE.notReady, (b.reasonCode as ReasonCode | undefined) ?? 'OTHER');
    return 'Success';
  });
  statusRoute('/agent/status/logoff', ['agents', 'message'], (a) => {
    state.logoff(a);
    return 'Successfully logged off.';
  });

  // ---- chat ----
  supervisor('POST', '/chat/broadcast', (req) => {
    const b = body(req, ['usersInfo', 'message']);
    const top = str(b, 'message', false);
    const users = b.usersInfo;
    if (!Array.isArray(users) || users.length === 0) throw new SimReject(400, 'usersInfo must be a non-empty array');
    // The table can be read as putting `message` in each usersInfo item; the example has it top-level.
    const parsed = users.map((u: unknown) => {
      if (!u || typeof u !== 'object' || Array.isArray(u)) throw new SimReject(400, 'usersInfo items must be objects');
      const item = u as Record<string, unknown>;
      onlyFields(item, ['userLoginId', 'canReply', 'message']);
      if (typeof item.canReply !== 'boolean') throw new SimReject(400, 'usersInfo.canReply must be a boolean');
      const message = str(item, 'message', false) ?? top;
      if (message === undefined) throw new SimReject(400, 'message is required');
      return { userLoginId: str(item, 'userLoginId', true)!, canReply: item.canReply, message };
    });
    const idField = state.variants.broadcastIdField;
    return ok({
      broadcastStatus: parsed.map((u) => {
        const sent = state.agents.get(u.userLoginId)?.loggedOn === true;
        if (sent) state.supervisorSays(u.userLoginId, u.message, u.canReply);
        return { [idField]: u.userLoginId, sent };
      }),
    });
  });

  // The Method line says /chat/messages, the example /chat/message: both are served.
  const chatMessages = (req: SimRequest): SimResponse => {
    const b = body(req, ['filter']);
    const f = b.filter;
    if (!f || typeof f !== 'object' || Array.isArray(f)) throw new SimReject(400, 'filter is required');
    const filter = f as Record<string, unknown>;
    onlyFields(filter, ['messageReceivedAfter', 'excludeOwn']);
    const excludeOwn = boolish(filter.excludeOwn, 'filter.excludeOwn');
    let after: number | null = null;
    if (filter.messageReceivedAfter !== undefined) {
      after = parseVendorTime(filter.messageReceivedAfter);
      if (after === null) throw new SimReject(400, 'filter.messageReceivedAfter is not a valid timestamp');
    }
    const found = state.messagesAfter(after, excludeOwn);
    const perChat = state.variants.chatCanReplyAt === 'chat';
    const byAgent = new Map<string, typeof found>();
    for (const m of found) {
      const list = byAgent.get(m.userLoginId);
      if (list) list.push(m);
      else byAgent.set(m.userLoginId, [m]);
    }
    const chatList = [...byAgent].map(([userLoginId, list]) => ({
      messageList: list.map((m) => ({
        message: m.message,
        senderId: m.senderId,
        timestamp: String(m.at),
        ...(perChat ? {} : { canReply: m.canReply }),
      })),
      userLoginId,
      ...(perChat ? { canReply: state.chats.get(userLoginId)?.canReply ?? false } : {}),
    }));
    const last = found[found.length - 1];
    return ok(last ? { chatList, timestamp: String(last.at) } : { chatList });
  };
  supervisor('POST', '/chat/messages', chatMessages);
  supervisor('POST', '/chat/message', chatMessages);

  supervisor('POST', '/chat/send', (req) => {
    const b = body(req, ['userLoginId', 'message']);
    const a = agentOrReject(str(b, 'userLoginId', true)!);
    const message = str(b, 'message', true)!;
    if (!a.loggedOn) throw new SimReject(409, `Agent ${a.loginId} cannot receive chat (not logged in)`);
    state.supervisorSays(a.loginId, message, state.chats.get(a.loginId)?.canReply ?? true);
    return noContent;
  });

  supervisor('POST', '/chat/end', (req) => {
    noBody(req);
    const { userLoginId } = query(req, ['userLoginId'], ['userLoginId']);
    if (!state.chats.delete(userLoginId!)) throw new SimReject(404, `No chat session with ${userLoginId}`);
    return noContent;
  });

  // ---- monitor ----
  supervisor('POST', '/monitor/start', (req) => {
    noBody(req);
    const q = query(req, ['numberToDial', 'extension'], ['numberToDial']);
    if (!/^\+?[0-9]{3,15}$/.test(q.numberToDial!)) throw new SimReject(400, 'numberToDial must be a phone number');
    if (q.extension !== undefined && !/^[0-9]{1,10}$/.test(q.extension)) throw new SimReject(400, 'extension must be digits');
    const activeCall = state.supervisorAnswers;
    Object.assign(state.monitor, { activeCall, numberToDial: q.numberToDial!, extension: q.extension ?? null, verb: null, agentLoginId: null });
    return state.variants.monitorStartStatus === 200 ? ok({ activeCall }) : noContent;
  });
  supervisor('GET', '/monitor/state', (req) => {
    noBody(req);
    query(req, [], []);
    return ok({ activeCall: state.monitor.activeCall });
  });
  for (const verb of ['listen', 'coach', 'barge'] as const satisfies readonly MonitorVerb[]) {
    supervisor('POST', `/monitor/${verb}`, (req) => {
      noBody(req);
      const { agentLoginId } = query(req, ['agentLoginId'], ['agentLoginId']);
      const a = agentOrReject(agentLoginId!);
      if (!state.monitor.activeCall) throw new SimReject(409, 'No supervisor call is established; start monitoring first');
      if (!a.call) throw new SimReject(409, `Agent ${a.loginId} is not on a call`);
      Object.assign(state.monitor, { verb, agentLoginId: a.loginId });
      return noContent;
    });
  }

  // ---- services ----
  supervisor('GET', '/service/access', (req) => {
    noBody(req);
    query(req, [], []);
    return ok({ callCenters: SIM_CALL_CENTERS });
  });
  supervisor('POST', '/agent/service/switch', (req) => {
    const b = body(req, ['agents', 'targetServiceId', 'message']);
    const ids = loginIds(b);
    str(b, 'message', false);
    const target = b.targetServiceId;
    if (typeof target !== 'number' || !Number.isInteger(target)) throw new SimReject(400, 'targetServiceId must be an integer');
    if (!state.serviceAccessible(target)) throw new SimReject(404, `Service ${target} not found or not accessible`);
    return ok({
      agents: ids.map((id) => {
        const a = state.agents.get(id);
        if (!a?.loggedOn) return { agentLoginId: id, message: 'failed' };
        if (a.call) {
          a.pendingServiceId = target;
          return { agentLoginId: id, message: 'queued' };
        }
        a.serviceId = target;
        return { agentLoginId: id, message: state.variants.switchSuccess };
      }),
    });
  });

  // ---- realtime agent list (NOTES.md) ----
  server.route('POST', REALTIME_AGENTS_PATH, (req) => {
    body(req, []);
    return ok({ agentDetails: state.loggedOnAgents() });
  });

  return {
    server,
    state,
    credentials,
    start: () => server.listen(),
    stop: () => server.close(),
    accountSettings: () => ({
      vendor: 'livevox',
      baseUrl: server.baseUrl,
      apiVersion: '',
      clientName: SIM_SUPERVISOR.clientName,
      userName: SIM_SUPERVISOR.userName,
      // The number from the document's monitor/start example.
      supervisorPhone: '6505317524',
    }),
    tick: () => state.tick(),
    counts: () => state.counts(),
  };
}
