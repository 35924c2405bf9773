// The two ways into Engage Voice (NOTES.md): a permanent API token sent as X-Auth-Token, or a
// RingCentral JWT login exchanged for a 5-minute Engage token that is refreshed before it lapses.
import { SwitchboardError } from '../../domain/errors.js';
import { parseJson, retryAfterOf, type AuthStrategy, type HttpCore, type HttpResponse } from '../shared/http.js';
import { vendorWords } from './errors.js';
import type { EngageVoiceOptions } from './options.js';
import type { EvAuthResponse, RcTokenResponse } from './types.js';

export class ApiTokenAuth implements AuthStrategy {
  constructor(private readonly token: string | undefined) {}
  async headers(): Promise<Record<string, string>> {
    if (!this.token) throw new SwitchboardError('not_configured', 'This Engage Voice account has no API token set.');
    return { 'X-Auth-Token': this.token };
  }
  /** A permanent token cannot be renewed; a 401 is reported as it is. */
  invalidate(): void {}
}

export interface RcLoginConfig {
  rcPlatformUrl: string;
  /** `https://<host>`: where /api/auth/... lives. */
  authBaseUrl: string;
  clientId: string | undefined;
  clientSecret: string | undefined;
  jwt: string | undefined;
  options: Pick<EngageVoiceOptions, 'tokenLifetimeMs' | 'refreshMarginMs' | 'maxLoginsPerMinute'>;
  now: () => number;
}

const FORM = 'application/x-www-form-urlencoded';

export class RcLoginAuth implements AuthStrategy {
  private access: { token: string; expiresAt: number } | null = null;
  private refreshToken: string | null = null;
  /** One renewal at a time: concurrent requests share it instead of each logging in. */
  private pending: Promise<string> | null = null;
  private readonly loginTimes: number[] = [];

  constructor(private readonly cfg: RcLoginConfig) {}

  async headers(http: HttpCore): Promise<Record<string, string>> {
    const a = this.access;
    const token =
      a && this.cfg.now() < a.expiresAt - this.cfg.options.refreshMarginMs
        ? a.token
        : await (this.pending ??= this.renew(http).finally(() => (this.pending = null)));
    return { Authorization: `Bearer ${token}` };
  }

  /** After a 401 (`Jwt is expired`): the access token is dead, the refresh token may still work. */
  invalidate(): void {
    this.access = null;
  }

  private async renew(http: HttpCore): Promise<string> {
    if (this.refreshToken) {
      try {
        return await this.refresh(http, this.refreshToken);
      } catch (err) {
        // A refused refresh token means logging in again; anything else (vendor down) is reported.
        if (!(err instanceof SwitchboardError && err.code === 'auth_failed')) throw err;
        this.refreshToken = null;
      }
    }
    return this.login(http);
  }

  private async refresh(http: HttpCore, refreshToken: string): Promise<string> {
    const res = await post(http, this.cfg.authBaseUrl, '/api/auth/token/refresh', { refresh_token: refreshToken });
    return this.keep(readEngageTokens(res));
  }

  private async login(http: HttpCore): Promise<string> {
    const { clientId, clientSecret, jwt } = this.cfg;
    if (!clientId || !clientSecret || !jwt) {
      throw new SwitchboardError('not_configured', 'RingCentral login needs the client id, client secret and JWT of this account.');
    }
    this.spendLogin();
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    const rc = await post(
      http,
      this.cfg.rcPlatformUrl,
      '/restapi/oauth/token',
      { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt },
      { Authorization: `Basic ${basic}` },
    );
    const rcToken = field<RcTokenResponse>(rc, 'access_token', 'RingCentral token answer').access_token;
    const res = await post(
      http,
      this.cfg.authBaseUrl,
      '/api/auth/login/rc/accesstoken',
      { rcAccessToken: rcToken, rcTokenType: 'Bearer' },
      {},
      { includeRefresh: true },
    );
    return this.keep(readEngageTokens(res));
  }

  /** The exchange allows 5 logins a minute; past our budget we wait instead of burning the vendor's. */
  private spendLogin(): void {
    const now = this.cfg.now();
    while (this.loginTimes.length > 0 && this.loginTimes[0]! <= now - 60_000) this.loginTimes.shift();
    if (this.loginTimes.length >= this.cfg.options.maxLoginsPerMinute) {
      const retryAfterSec = Math.ceil((this.loginTimes[0]! + 60_000 - now) / 1000);
      throw new SwitchboardError('rate_limited', 'Engage Voice logins are limited to a few a minute; Switchboard will log in again shortly.', {
        retryAfterSec,
      });
    }
    this.loginTimes.push(now);
  }

  private keep(t: EvAuthResponse): string {
    this.access = { token: t.accessToken, expiresAt: this.cfg.now() + this.cfg.options.tokenLifetimeMs };
    // The refresh answer carries a new refresh token; keep it (the old one may be single-use).
    if (t.refreshToken) this.refreshToken = t.refreshToken;
    return t.accessToken;
  }
}

function readEngageTokens(res: HttpResponse): EvAuthResponse {
  return field<EvAuthResponse>(res, 'accessToken', 'Engage Voice token answer');
}

function field<T>(res: HttpResponse, name: string, what: string): T {
  const body = parseJson(res.text, what);
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof v !== 'string' || v === '') throw new SwitchboardError('bad_response', `The vendor sent a ${what} without ${name}.`);
  return body as T;
}

/**
 * One auth request, sent once: a login is never retried in a loop. Failures are named for what they
 * are, so a call action whose login failed is never reported as "outcome unknown".
 */
async function post(
  http: HttpCore,
  baseURL: string,
  path: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
  query?: Record<string, boolean>,
): Promise<HttpResponse> {
  let res: HttpResponse;
  try {
    res = await http.sendOnce({
      method: 'POST',
      baseURL,
      path,
      ...(query ? { query } : {}),
      body: new URLSearchParams(form).toString(),
      contentType: FORM,
      headers,
      noAuth: true,
    });
  } catch {
    throw new SwitchboardError('vendor_unavailable', 'The Engage Voice login service could not be reached.');
  }
  if (res.status >= 200 && res.status < 300) return res;
  // Scrubbed before vendorWords clips it, so a secret cut in two at the clip still matches whole.
  const vendorMessage = vendorWords(http.scrub(res.text));
  const opts = vendorMessage === undefined ? {} : { vendorMessage };
  if (res.status === 429) {
    const retryAfterSec = retryAfterOf(res);
    throw new SwitchboardError('rate_limited', 'The Engage Voice login service is rate limiting.', {
      ...opts,
      ...(retryAfterSec === undefined ? {} : { retryAfterSec }),
    });
  }
  if (res.status >= 500) throw new SwitchboardError('vendor_unavailable', 'The Engage Voice login service is unavailable.', opts);
  throw new SwitchboardError('auth_failed', 'Engage Voice refused the RingCentral login; check the client id, secret and JWT.', opts);
}
