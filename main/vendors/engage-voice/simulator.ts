// A stateful fake of Engage Voice on loopback, faithful to engage-voice-active-calls.txt and NOTES.md:
// the same paths (both `activeCalls/` and the prose's `activeCall/`), parameters in the query or a
// body, text/plain true/false answers, the vendor's JSON error shape, X-Auth-Token or the RingCentral
// JWT login with 5-minute tokens (`Jwt is expired`), and the exchange's 5-logins-a-minute limit.
import type { z } from 'zod';
import type { EngageVoiceAccount, Secrets } from '../../domain/account.js';
import { SimReject, SimServer, overLimit, type SimHandler, type SimRequest, type SimResponse } from '../shared/sim-server.js';
import type { ScenarioOptions, VendorSimulator } from '../shared/simulator.js';
import { bool, compactDate, int, oneOf, phone, readParams, str } from './sim-params.js';
import { DISPOSITIONS, EngageSimState, SIM_ACCOUNT_ID, type SimCall } from './sim-state.js';
import { SESSION_TYPES } from './types.js';

export interface EngageVoiceScenarioOptions extends ScenarioOptions {
  /** Enforce the documented 120 requests a minute on active-call and real-time endpoints (off by default so load runs measure Switchboard, not the limit). */
  enforceRateLimit?: boolean;
}

export interface EngageVoiceSimulator extends VendorSimulator {
  readonly state: EngageSimState;
  readonly auth: SimAuth;
}

const ERROR_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

/** Engage's error body. */
export function evError(status: number, message: string, requestUri = '', validationErrors?: string[]): SimResponse {
  return {
    status,
    body: {
      errorCode: ERROR_CODES[status] ?? 'ERROR',
      generalMessage: message,
      details: null,
      requestUri,
      timestamp: Date.now(),
      ...(validationErrors ? { validationErrors } : {}),
    },
  };
}

const TRUE: SimResponse = { status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'true' };
const FALSE: SimResponse = { status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'false' };
const answer = (ok: boolean): SimResponse => (ok ? TRUE : FALSE);

/** Products of activeCalls/list, from the vendor's list-active-calls page. */
const PRODUCTS = ['ACCOUNT', 'ACD', 'AGENT', 'CHAT_QUEUE', 'OUTBOUND', 'VISUAL_IVR', 'CLOUD_PROFILE', 'CLOUD_DESTINATION', 'TRAC_NUMBER', 'HTTP_SERVICES', 'SCRIPTING', 'TN_MANAGER', 'SURVEY', 'DNIS', 'TEAMS', 'KNOWLEDGE_BASE', 'UTILITIES'] as const;

const ACCESS_TOKEN_LIFETIME_MS = 5 * 60_000;

/** Token bookkeeping for both auth modes. */
export class SimAuth {
  readonly rcTokens = new Set<string>();
  /** Engage access token → expiry (epoch ms). */
  readonly accessTokens = new Map<string, number>();
  readonly refreshTokens = new Set<string>();
  readonly exchangeTimes: number[] = [];
  readonly apiTimes: number[] = [];
  private n = 0;
  constructor(
    readonly credentials: Required<Pick<Secrets, 'apiToken' | 'rcClientSecret' | 'rcJwt'>> & { rcClientId: string },
    private readonly now: () => number,
  ) {}
  issue(prefix: string): string {
    this.n += 1;
    return `${prefix}-${this.n}-${Math.floor(this.now()).toString(36)}`;
  }
  /** Whether an Engage access token is live, expired, or was never issued. */
  check(token: string | undefined): 'ok' | 'expired' | 'unknown' {
    const expiresAt = token === undefined ? undefined : this.accessTokens.get(token);
    if (expiresAt === undefined) return 'unknown';
    return expiresAt <= this.now() ? 'expired' : 'ok';
  }
  grantAccess(includeRefresh: boolean): { accessToken: string; refreshToken?: string } {
    const accessToken = this.issue('ev-access');
    this.accessTokens.set(accessToken, this.now() + ACCESS_TOKEN_LIFETIME_MS);
    if (!includeRefresh) return { accessToken };
    const refreshToken = this.issue('ev-refresh');
    this.refreshTokens.add(refreshToken);
    return { accessToken, refreshToken };
  }
  expireAll(): void {
    for (const t of this.accessTokens.keys()) this.accessTokens.set(t, 0);
  }
  /** Sliding one-minute window: counts this request, or returns the seconds to wait when over the limit. */
  over(times: number[], limit: number): number | null {
    return overLimit(times, limit, this.now());
  }
}

export function createEngageVoiceSimulator(opts: EngageVoiceScenarioOptions): EngageVoiceSimulator {
  const now = opts.now ?? Date.now;
  const state = new EngageSimState(opts.seed, opts.agents ?? 20, opts.calls ?? 12, now);
  const auth = new SimAuth(
    {
      apiToken: `ev-api-token-${opts.seed}`,
      rcClientId: 'switchboard-sim',
      rcClientSecret: `rc-secret-${opts.seed}`,
      rcJwt: `eyJhbGciOiJub25lIn0.sim-${opts.seed}.`,
    },
    now,
  );
  const server = new SimServer({
    errorResponse: (status, message) => evError(status, message),
    malformedResponse: () => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: '[{"uii":"2026","callState":"ACT' }),
    authenticate: (req) => authenticate(auth, req),
    expireAuth: () => auth.expireAll(),
    now,
  });
  registerAuthRoutes(server, auth);
  registerApiRoutes(server, state, auth, opts.enforceRateLimit ?? false);

  return {
    server,
    state,
    auth,
    credentials: { apiToken: auth.credentials.apiToken, rcClientSecret: auth.credentials.rcClientSecret, rcJwt: auth.credentials.rcJwt },
    start: () => server.listen(),
    stop: () => server.close(),
    accountSettings() {
      const settings: Omit<z.input<typeof EngageVoiceAccount>, 'id' | 'label'> = {
        vendor: 'engage-voice',
        baseUrl: `${server.baseUrl}/voice`,
        accountId: SIM_ACCOUNT_ID,
        authMode: 'apiToken',
        rcPlatformUrl: server.baseUrl,
        rcClientId: auth.credentials.rcClientId,
        // The simulated centre keeps UTC (its times are ISO with +0000), whatever zone the host is in.
        timeZone: 'UTC',
      };
      return settings;
    },
    tick: () => state.tick(),
    counts: () => ({ calls: state.calls.size, agents: state.agents.size }),
  };
}

function authenticate(auth: SimAuth, req: SimRequest): SimResponse | null {
  const apiToken = req.headers['x-auth-token'];
  if (apiToken !== undefined) return apiToken === auth.credentials.apiToken ? null : evError(401, 'Invalid API token', req.path);
  const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
  switch (auth.check(bearer)) {
    case 'ok':
      return null;
    case 'expired':
      return { status: 401, headers: { 'Content-Type': 'text/plain' }, body: 'Jwt is expired' };
    default:
      return evError(401, 'Full authentication is required to access this resource', req.path);
  }
}

/** Form fields of an auth request, exactly those named. */
function form(req: SimRequest, fields: readonly string[]): URLSearchParams {
  if (!String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    throw new SimReject(415, 'Expected application/x-www-form-urlencoded');
  }
  const f = new URLSearchParams(req.body);
  for (const k of f.keys()) if (!fields.includes(k)) throw new SimReject(400, `Unknown field: ${k}`);
  for (const k of fields) if (!f.get(k)) throw new SimReject(400, `${k} is required`);
  return f;
}

/** Handler wrapper: SimReject becomes Engage's error body carrying the request path. */
function guarded(handler: SimHandler): SimHandler {
  return async (req) => {
    try {
      return await handler(req);
    } catch (err) {
      if (err instanceof SimReject) return evError(err.status, err.message, req.path, err.status === 400 ? [err.message] : undefined);
      throw err;
    }
  };
}

function oauthError(status: number, error: string, description: string): SimResponse {
  return { status, body: { error, error_description: description } };
}

function registerAuthRoutes(server: SimServer, auth: SimAuth): void {
  const { credentials } = auth;
  // RingCentral platform: JWT grant with the app's Basic credentials; OAuth error bodies.
  server.route(
    'POST',
    '/restapi/oauth/token',
    (req) => {
      const basic = Buffer.from(`${credentials.rcClientId}:${credentials.rcClientSecret}`).toString('base64');
      if (req.headers.authorization !== `Basic ${basic}`) return oauthError(401, 'invalid_client', 'Invalid client');
      let f: URLSearchParams;
      try {
        f = form(req, ['grant_type', 'assertion']);
      } catch (err) {
        return oauthError(400, 'invalid_request', err instanceof Error ? err.message : 'Invalid request');
      }
      if (f.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return oauthError(400, 'unsupported_grant_type', 'Unsupported grant type');
      if (f.get('assertion') !== credentials.rcJwt) return oauthError(400, 'invalid_grant', 'Invalid assertion');
      const token = auth.issue('rc-access');
      auth.rcTokens.add(token);
      return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: 3600, scope: 'ReadAccounts', owner_id: '100' } };
    },
    { noAuth: true },
  );
  server.route(
    'POST',
    '/api/auth/login/rc/accesstoken',
    guarded((req) => {
      const wait = auth.over(auth.exchangeTimes, 5);
      if (wait !== null) return { ...evError(429, 'Too many login requests', req.path), headers: { 'Retry-After': String(wait) } };
      const f = form(req, ['rcAccessToken', 'rcTokenType']);
      if (f.get('rcTokenType') !== 'Bearer') throw new SimReject(400, 'rcTokenType must be Bearer');
      if (!auth.rcTokens.has(f.get('rcAccessToken') ?? '')) throw new SimReject(401, 'Invalid RingCentral access token');
      const tokens = auth.grantAccess(req.query.get('includeRefresh') === 'true');
      return { status: 200, body: { ...tokens, tokenType: 'Bearer', mainAccountId: SIM_ACCOUNT_ID, agentDetails: [], adminId: 1 } };
    }),
    { noAuth: true },
  );
  server.route(
    'POST',
    '/api/auth/token/refresh',
    guarded((req) => {
      const old = form(req, ['refresh_token']).get('refresh_token') ?? '';
      if (!auth.refreshTokens.delete(old)) throw new SimReject(401, 'Invalid refresh token');
      return { status: 200, body: { ...auth.grantAccess(true), tokenType: 'Bearer', mainAccountId: SIM_ACCOUNT_ID } };
    }),
    { noAuth: true },
  );
}

function registerApiRoutes(server: SimServer, state: EngageSimState, auth: SimAuth, enforceRateLimit: boolean): void {
  const root = '/voice/api/v1/admin/accounts/:accountId';
  const api = (method: string, path: string, handler: SimHandler) =>
    server.route(
      method,
      `${root}/${path}`,
      guarded((req) => {
        if (req.params.accountId !== SIM_ACCOUNT_ID) throw new SimReject(403, `Access denied to account ${req.params.accountId ?? ''}`);
        const wait = enforceRateLimit ? auth.over(auth.apiTimes, 120) : null;
        if (wait !== null) return { ...evError(429, 'Rate limit exceeded', req.path), headers: { 'Retry-After': String(wait) } };
        return handler(req);
      }),
    );
  const call = (req: SimRequest): SimCall => {
    const c = state.calls.get(req.params.uii ?? '');
    if (!c) throw new SimReject(404, `Active call ${req.params.uii ?? ''} not found`);
    return c;
  };

  api('GET', 'realTimeData/agent', (req) => {
    readParams(req, []);
    return { status: 200, body: state.agentRows() };
  });

  // The prose names the endpoints `activeCall/...`, the URLs `activeCalls/...`: both are served.
  for (const seg of ['activeCalls', 'activeCall']) {
    api('GET', `${seg}/list`, (req) => {
      const p = readParams(req, ['product', 'productId', 'page', 'maxRows']);
      const product = p.product === undefined ? undefined : oneOf(p, 'product', PRODUCTS);
      const productId = str(p, 'productId');
      if (productId !== undefined && product === undefined) throw new SimReject(400, 'productId needs a product');
      const page = int(p, 'page', 1, 1_000_000, false) ?? 1;
      const maxRows = int(p, 'maxRows', 1, 100_000, false);
      const rows = state.callRows(product === undefined ? undefined : productMatch(product, productId));
      return { status: 200, body: maxRows === undefined ? rows : rows.slice((page - 1) * maxRows, page * maxRows) };
    });

    api('POST', `${seg}/createManualAgentCall`, (req) => {
      const p = readParams(req, ['username', 'destination', 'ringDuration', 'callerId']);
      const username = str(p, 'username', true);
      const destination = phone(p, 'destination');
      int(p, 'ringDuration', 1, 120, true);
      const callerId = phone(p, 'callerId');
      const agent = state.agentByUsername(username);
      if (!agent) throw new SimReject(404, `Agent ${username} not found`);
      if (agent.agentState !== 'AVAILABLE' || agent.pendingDisposition) throw new SimReject(409, `Agent ${username} is not available`);
      state.manualCall(agent, destination, callerId);
      return TRUE;
    });

    api('POST', `${seg}/:uii/addSessionToCall`, (req) => {
      const p = readParams(req, ['destination', 'sessionType']);
      const destination = phone(p, 'destination');
      const sessionType = oneOf(p, 'sessionType', SESSION_TYPES);
      const c = call(req);
      if (c.sessions.has(destination)) return FALSE;
      c.sessions.set(destination, sessionType);
      return TRUE;
    });

    // The table names disposition/callback/callBackDTS/notes; the example body is `{phone}`. Both are
    // accepted: the example form releases the agent without naming a disposition.
    api('POST', `${seg}/:uii/dispositionCall`, (req) => {
      const p = readParams(req, ['disposition', 'callback', 'callBackDTS', 'notes', 'phone']);
      if (p.phone !== undefined) phone(p, 'phone');
      const disposition = str(p, 'disposition');
      if (disposition === undefined && p.phone === undefined) throw new SimReject(400, 'disposition is required');
      if (disposition !== undefined && !(DISPOSITIONS as readonly string[]).includes(disposition)) {
        throw new SimReject(400, `Unknown disposition ${disposition}; configured: ${DISPOSITIONS.join(', ')}`);
      }
      if (bool(p, 'callback', false) === true || p.callBackDTS !== undefined) compactDate(p, 'callBackDTS');
      if ((str(p, 'notes') ?? '').length > 4000) throw new SimReject(400, 'notes is too long');
      if (!state.dispose(req.params.uii ?? '', disposition ?? null)) throw new SimReject(404, `Call ${req.params.uii ?? ''} not found`);
      return TRUE;
    });

    // No parameter table; the example shows `{phone}`, accepted and not needed.
    api('POST', `${seg}/:uii/hangupCall`, (req) => {
      const p = readParams(req, ['phone']);
      if (p.phone !== undefined) phone(p, 'phone');
      state.hangup(call(req));
      return TRUE;
    });

    api('POST', `${seg}/:uii/hangupSession`, (req) => {
      const ph = phone(readParams(req, ['phone']), 'phone');
      return answer(call(req).sessions.delete(ph));
    });

    api('POST', `${seg}/:uii/toggleCallRecording`, (req) => {
      const record = bool(readParams(req, ['record']), 'record', true) === true;
      call(req).archive = record;
      return TRUE;
    });
  }

  function productMatch(product: string, productId: string | undefined): (c: SimCall) => boolean {
    const agentOf = (c: SimCall) => (c.agentId === null ? undefined : state.agents.get(c.agentId));
    const is = (v: number | null | undefined) => productId === undefined || String(v) === productId;
    switch (product) {
      case 'ACCOUNT':
        return () => productId === undefined || productId === SIM_ACCOUNT_ID;
      case 'AGENT':
        return (c) => c.agentId !== null && is(c.agentId);
      case 'ACD':
        return (c) => agentOf(c)?.gateId != null && is(agentOf(c)?.gateId);
      case 'OUTBOUND':
        return (c) => agentOf(c)?.campaignId != null && is(agentOf(c)?.campaignId);
      default:
        return () => false;
    }
  }
}
