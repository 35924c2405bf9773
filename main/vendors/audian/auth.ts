// Audian auth (NOTES.md): PUT /v2/api_auth {"data":{"api_key"}} → auth_token + data.account_id.
// The token is short-lived and the documents give no lifetime, so it is kept until the vendor
// answers 401 (HttpCore then calls invalidate() and the next request logs in again).
import { SwitchboardError } from '../../domain/errors.js';
import { parseJson, type AuthStrategy, type HttpCore } from '../shared/http.js';
import type { AuthRequest } from './types.js';

export const AUTH_PATH = '/v2/api_auth';

export type AuthHeaderStyle = 'x-auth-token' | 'bearer';

interface Session {
  token: string;
  accountId: string;
}

export class AudianAuth implements AuthStrategy {
  private session: Session | null = null;
  /** One login at a time: parallel polls after an expiry share it instead of each logging in. */
  private pending: Promise<Session> | null = null;

  constructor(
    private readonly apiKey: string | undefined,
    /** The auth reference says X-Auth-Token; the document's code samples send Authorization: Bearer. */
    private readonly style: AuthHeaderStyle,
  ) {}

  async headers(http: HttpCore): Promise<Record<string, string>> {
    const { token } = await this.ensure(http);
    return this.style === 'bearer' ? { Authorization: `Bearer ${token}` } : { 'X-Auth-Token': token };
  }

  invalidate(): void {
    this.session = null;
  }

  /** The account id the login answered with; the channels path needs it. */
  async accountId(http: HttpCore): Promise<string> {
    return (await this.ensure(http)).accountId;
  }

  /** Logs in now (used by testConnection and tests), replacing any held token. */
  async login(http: HttpCore): Promise<Session> {
    this.session = null;
    return this.ensure(http);
  }

  private ensure(http: HttpCore): Promise<Session> {
    if (this.session) return Promise.resolve(this.session);
    this.pending ??= this.requestToken(http).finally(() => (this.pending = null));
    return this.pending;
  }

  private async requestToken(http: HttpCore): Promise<Session> {
    if (!this.apiKey) throw new SwitchboardError('not_configured', 'This Audian account has no API key; add it in the account settings.');
    const body: AuthRequest = { data: { api_key: this.apiKey } };
    // Logging in is safe to repeat, so it is a read: transient failures are retried with backoff.
    // A login that fails keeps its own code (network, timeout): HttpCore.act knows no action was sent.
    const res = await http.read({ method: 'PUT', path: AUTH_PATH, body, noAuth: true });
    const parsed = parseJson(res.text, 'login response');
    const rec = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    const data = rec.data && typeof rec.data === 'object' ? (rec.data as Record<string, unknown>) : {};
    if (typeof rec.auth_token !== 'string' || typeof data.account_id !== 'string') {
      throw new SwitchboardError('bad_response', 'Audian answered the login without an auth token or account id.');
    }
    this.session = { token: rec.auth_token, accountId: data.account_id };
    return this.session;
  }
}
