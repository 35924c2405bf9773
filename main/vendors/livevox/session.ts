// LiveVox auth (NOTES.md, official): log in once with the LV-Access token, then send LV-Session and
// LV-Access on every request. Sessions die after 2 h idle and cannot be refreshed, so a 401 simply
// drops the session and the next request logs in again (HttpCore does the one resend).
import { SwitchboardError } from '../../domain/errors.js';
import { retryAfterOf, type AuthStrategy, type HttpCore, type HttpResponse } from '../shared/http.js';
import { LoginResponse, type LoginRequest } from './types.js';
import { decode } from './decode.js';

export const LOGIN_PATH = '/session/login';

export interface LiveVoxCredentials {
  clientName: string;
  userName: string;
  accessToken: string | undefined;
  password: string | undefined;
}

export class LiveVoxSession implements AuthStrategy {
  private sessionId: string | null = null;
  private pending: Promise<string> | null = null;
  /** Who the vendor says we are; chat uses it to tell the supervisor's own messages apart. */
  userId: string | null = null;

  constructor(private readonly creds: LiveVoxCredentials) {}

  async headers(http: HttpCore): Promise<Record<string, string>> {
    const sessionId = await this.ensure(http);
    return { 'LV-Access': this.accessToken(), 'LV-Session': sessionId };
  }

  invalidate(): void {
    this.sessionId = null;
  }

  /** One login at a time: concurrent first requests share it instead of each opening a session. */
  ensure(http: HttpCore): Promise<string> {
    if (this.sessionId) return Promise.resolve(this.sessionId);
    this.pending ??= this.login(http).finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private accessToken(): string {
    const token = this.creds.accessToken;
    if (!token) throw new SwitchboardError('not_configured', 'The LiveVox access token (LV-Access) is not set for this account.');
    return token;
  }

  private async login(http: HttpCore): Promise<string> {
    const token = this.accessToken();
    if (!this.creds.password) throw new SwitchboardError('not_configured', 'The LiveVox password is not set for this account.');
    const body: LoginRequest = {
      clientName: this.creds.clientName,
      userName: this.creds.userName,
      password: this.creds.password,
      agent: false,
    };
    const res = await http.sendOnce({ method: 'POST', path: LOGIN_PATH, noAuth: true, headers: { 'LV-Access': token }, body });
    if (res.status < 200 || res.status >= 300) throw this.loginRefused(http, res);
    const out = decode(LoginResponse, res.text, 'login response');
    this.sessionId = out.sessionId;
    this.userId = out.userId === null || out.userId === undefined ? null : String(out.userId);
    return out.sessionId;
  }

  /** A refused login as its error; on 429 the vendor's Retry-After rides along so a read waits it out. */
  private loginRefused(http: HttpCore, res: HttpResponse): SwitchboardError {
    // Described by the core, so whatever the vendor echoes of the login is scrubbed.
    const d = http.describe(res.status, res.text);
    const message =
      d.code === 'auth_failed' || d.code === 'forbidden'
        ? 'LiveVox refused the login: check the client name, user name, password and access token, and that the base URL is the environment (NA3..NA6) the account lives in.'
        : d.message;
    const retryAfterSec = retryAfterOf(res);
    return new SwitchboardError(d.code, message, {
      ...(d.vendorMessage === undefined ? {} : { vendorMessage: d.vendorMessage }),
      ...(retryAfterSec === undefined ? {} : { retryAfterSec }),
    });
  }
}
